"""Routes of the advisors' workspace (group `advisors`; anyone else gets 404)."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from domain.requests import Kind
from shared.http import CurrentCaller, Cursor, Limit, Page, Router, no_content
from support.logic import advisor
from support.models import ActionIn, AdvisorLogoutIn, AdvisorRequestOut, QueueItem

router = Router()
Ref = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}_[A-Za-z0-9-]{1,60}$",
                          description="<n° d'adhérent>_<id de la demande>")]
Action = Literal["take", "ask", "accept", "refuse"]


@router.get("/support/advisor/queue")
def queue(
    who: CurrentCaller,
    status: Annotated[Literal["sent", "in_progress", "info_needed", "processed", "refused"],
                      Query()] = "sent",
    kind: Annotated[Kind | None, Query()] = None,
    team: Annotated[str | None, Query(pattern=r"^[a-z]{1,20}$")] = None,
    older_than_days: Annotated[int | None, Query(ge=1, le=3650)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[QueueItem]:
    return advisor.queue(who, team=team, status=status, kind=kind,
                         older_than_days=older_than_days, cursor=cursor, limit=limit)


@router.get("/support/advisor/requests/<ref>")
def detail(who: CurrentCaller, ref: Ref) -> AdvisorRequestOut:
    return advisor.detail(who, ref)


@router.post("/support/advisor/requests/<ref>/<action>")
def act(who: CurrentCaller, ref: Ref, action: Annotated[Action, Path()],
        body: ActionIn) -> AdvisorRequestOut:
    return advisor.act(who, ref, action, body)


@router.post("/support/advisor/logout", responses={204: {"description": "Session fermée"}})
def logout(who: CurrentCaller, body: AdvisorLogoutIn):
    advisor.logout(who, everywhere=body.everywhere)
    return no_content()
