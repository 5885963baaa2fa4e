"""Routes of requests (demandes): every kind a member sends and follows (/support/requests),
and the advisors' processing of them (/support/advisor/queue, /support/advisor/requests; group
`advisors`, anyone else gets 404)."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from domain.requests import Kind
from shared.http import (
    CurrentCaller,
    Cursor,
    IdempotencyKey,
    Limit,
    Page,
    PathId,
    Router,
    create_once,
    created_as,
    no_content,
)
from support.logic import requests
from support.models import (
    ActionIn,
    AdvisorRequestOut,
    AnswerIn,
    DuplicateCheckIn,
    KindOut,
    OtherRequestIn,
    QueueItem,
    ReimbursementRequestIn,
    RequestOut,
    RequestSummary,
)

router = Router()
KindFilter = Kind
Ref = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}_[A-Za-z0-9-]{1,60}$",
                          description="<n° d'adhérent>_<id de la demande>")]
Action = Literal["take", "ask", "accept", "refuse"]
StatusFilter = Literal["sent", "in_progress", "info_needed", "payment_requested", "processed",
                       "refused"]


@router.get("/support/request-kinds")
def kinds(who: CurrentCaller) -> list[KindOut]:
    return requests.kinds()


@router.post("/support/requests/reimbursement",
             responses=created_as(RequestOut, "Demande de remboursement envoyée"))
def create_reimbursement(who: CurrentCaller, body: ReimbursementRequestIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="request_reimbursement", key=key, body=body,
                       output=RequestOut,
                       create=lambda: requests.create_reimbursement(who, body, key))


@router.post("/support/requests/reimbursement/duplicates")
def reimbursement_duplicates(who: CurrentCaller, body: DuplicateCheckIn) -> list[RequestSummary]:
    """Before sending: the member's requests for the same care, if any (nothing is stored)."""
    return requests.duplicates(who, body)


@router.post("/support/requests/other", responses=created_as(RequestOut, "Demande envoyée"))
def create_other(who: CurrentCaller, body: OtherRequestIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="request_other", key=key, body=body,
                       output=RequestOut, create=lambda: requests.create_other(who, body, key))


@router.get("/support/requests")
def list_requests(
    who: CurrentCaller,
    kind: Annotated[KindFilter | None, Query()] = None,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=40, description="N° de demande")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[RequestSummary]:
    return requests.list_requests(who, kind=kind, status=status, query=q, cursor=cursor,
                                  limit=limit)


@router.get("/support/requests/<request_id>")
def get_request(who: CurrentCaller, request_id: PathId) -> RequestOut:
    return requests.get_request(who, request_id)


@router.post("/support/requests/<request_id>/read",
             responses={204: {"description": "Marquée comme lue"}})
def mark_read(who: CurrentCaller, request_id: PathId):
    requests.mark_read(who, request_id)
    return no_content()


@router.post("/support/requests/<request_id>/answer")
def answer(who: CurrentCaller, request_id: PathId, body: AnswerIn) -> RequestOut:
    return requests.answer(who, request_id, body)


# ----------------------------------------------------------------------------- advisors
@router.get("/support/advisor/queue")
def queue(
    who: CurrentCaller,
    status: Annotated[StatusFilter, Query()] = "sent",
    kind: Annotated[Kind | None, Query()] = None,
    team: Annotated[str | None, Query(pattern=r"^[a-z]{1,20}$")] = None,
    older_than_days: Annotated[int | None, Query(ge=1, le=3650)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[QueueItem]:
    return requests.queue(who, team=team, status=status, kind=kind,
                         older_than_days=older_than_days, cursor=cursor, limit=limit)


@router.get("/support/advisor/requests/<ref>")
def detail(who: CurrentCaller, ref: Ref) -> AdvisorRequestOut:
    return requests.advisor_detail(who, ref)


@router.post("/support/advisor/requests/<ref>/<action>")
def act(who: CurrentCaller, ref: Ref, action: Annotated[Action, Path()],
        body: ActionIn) -> AdvisorRequestOut:
    return requests.act(who, ref, action, body)
