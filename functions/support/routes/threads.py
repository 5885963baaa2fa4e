"""Routes of conversations (« Contact & aide »): the member's side (/support/threads) and the
advisors' (/support/advisor/threads: the waiting ones, theirs, one conversation)."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

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
from support.logic import threads
from support.models import (
    AdvisorMessageIn,
    AdvisorThreadOut,
    AdvisorThreadSummary,
    AttachmentLink,
    MessageIn,
    MessageOut,
    ReadIn,
    ThreadIn,
    ThreadOut,
    ThreadSummary,
)

router = Router()
Ref = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}_[A-Za-z0-9-]{1,60}$",
                          description="<n° d'adhérent>_<id de la conversation>")]


@router.get("/support/threads")
def list_threads(who: CurrentCaller, cursor: Cursor = None, limit: Limit = 20
                 ) -> Page[ThreadSummary]:
    return threads.list_threads(who, cursor=cursor, limit=limit)


@router.post("/support/threads", responses=created_as(ThreadOut, "Conversation ouverte"))
def create_thread(who: CurrentCaller, body: ThreadIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="thread", key=key, body=body,
                       output=ThreadOut, create=lambda: threads.create_thread(who, body, key))


@router.get("/support/threads/<thread_id>")
def get_thread(who: CurrentCaller, thread_id: PathId) -> ThreadOut:
    return threads.get_thread(who, thread_id)


@router.post("/support/threads/<thread_id>/messages",
             responses=created_as(MessageOut, "Message envoyé"))
def add_message(who: CurrentCaller, thread_id: PathId, body: MessageIn, key: IdempotencyKey):
    return create_once(router, who=who, operation=f"message_{thread_id}", key=key, body=body,
                       output=MessageOut,
                       create=lambda: threads.add_message(who, thread_id, body, key))


@router.post("/support/threads/<thread_id>/read",
             responses={204: {"description": "Conversation marquée comme lue"}})
def mark_read(who: CurrentCaller, thread_id: PathId, body: ReadIn):
    threads.mark_read(who, thread_id, body)
    return no_content()


@router.get("/support/threads/<thread_id>/attachments/<upload_id>")
def attachment(who: CurrentCaller, thread_id: PathId, upload_id: PathId) -> AttachmentLink:
    return threads.attachment(who, thread_id, upload_id)


# ----------------------------------------------------------------------------- advisors
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
def advisor_answer(who: CurrentCaller, ref: Ref, body: AdvisorMessageIn) -> AdvisorThreadOut:
    return threads.answer(who, ref, body)


@router.get("/support/advisor/threads/<ref>/attachments/<upload_id>")
def advisor_attachment(who: CurrentCaller, ref: Ref, upload_id: PathId) -> AttachmentLink:
    return threads.advisor_attachment(who, ref, upload_id)
