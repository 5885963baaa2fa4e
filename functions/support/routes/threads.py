"""Routes of « Contact & aide »: the member's conversations with the advisors."""

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
    AttachmentLink,
    MessageIn,
    MessageOut,
    ReadIn,
    ThreadIn,
    ThreadOut,
    ThreadSummary,
)

router = Router()


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
