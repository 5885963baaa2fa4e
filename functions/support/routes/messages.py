"""Routes of the advisors' messages: the waiting conversations, theirs, one conversation."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from shared.http import CurrentCaller, Cursor, Limit, Page, PathId, Router
from support.logic import threads
from support.models import (
    AdvisorMessageIn,
    AdvisorThreadOut,
    AdvisorThreadSummary,
    AttachmentLink,
)

router = Router()
Ref = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}_[A-Za-z0-9-]{1,60}$",
                          description="<n° d'adhérent>_<id de la conversation>")]


@router.get("/support/advisor/threads")
def advisor_threads(
    who: CurrentCaller,
    box: Annotated[Literal["waiting", "mine"], Query(
        description="waiting : sans première réponse (les plus anciennes d'abord) ; mine : "
                    "celles que je traite")] = "waiting",
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[AdvisorThreadSummary]:
    return threads.advisor_threads(who, box=box, cursor=cursor, limit=limit)


@router.get("/support/advisor/threads/<ref>")
def open_thread(who: CurrentCaller, ref: Ref) -> AdvisorThreadOut:
    return threads.open_thread(who, ref)


@router.post("/support/advisor/threads/<ref>/messages")
def answer(who: CurrentCaller, ref: Ref, body: AdvisorMessageIn) -> AdvisorThreadOut:
    return threads.answer(who, ref, body)


@router.get("/support/advisor/threads/<ref>/attachments/<upload_id>")
def attachment(who: CurrentCaller, ref: Ref, upload_id: PathId) -> AttachmentLink:
    return threads.advisor_attachment(who, ref, upload_id)
