"""Secure messaging (« Contact & aide »): a member opens conversations by subject, writes and
reads; advisors see those waiting for a first answer (oldest first) and those they handle,
open them (audit trail) and answer (audit trail, an email that never carries the content).

Unread markers are versions: each message makes the conversation one version newer and records
whose it is; a side has read the conversation up to the version it was last shown.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain import notifications as notify
from domain.attachments import (
    UploadItem,
    attach_operations,
    check_ready,
    get_upload,
    stored_uploads,
    upload_sk,
)
from domain.membership import member_context
from domain.procurations import by, by_label
from domain.requests import Reference
from shared import clock, idempotency
from shared.errors import Conflict, NotFound
from shared.filenames import extension_of, safe_filename
from shared.http import Page
from shared.identity import Caller
from shared.ids import created_of, iso_paris, new_id
from shared.observability import count
from shared.settings import get_settings
from support import repository
from support.logic.access import require_advisor
from support.models import (
    AdvisorMessageIn,
    AdvisorThreadOut,
    AdvisorThreadSummary,
    AttachmentLink,
    MessageAttachment,
    MessageIn,
    MessageItem,
    MessageOut,
    ReadIn,
    ThreadIn,
    ThreadItem,
    ThreadOut,
    ThreadSummary,
    UploadOut,
)

TEAM = "gestion"  # members' messages go to the management team's advisors
NOT_FOUND = "Cette conversation est introuvable."
ANSWER_LOG_SECONDS = 30 * 24 * 3600
LINK_SECONDS = 300


def _now() -> datetime:
    return clock.now()


def status_label(thread: ThreadItem) -> str:
    if thread.last_author_role == "member":
        return "En attente de réponse"
    return "Répondu"


def _message_out(m: MessageItem) -> MessageOut:
    return MessageOut(id=m.id, at=m.at, author_role=m.author_role, author_name=m.author_name,
                      text=m.text, attachments=[UploadOut(
                          id=a.id, status="attached", filename=a.filename, size=a.size,
                          content_type=a.content_type) for a in m.attachments],
                      by_label=by_label(m.by))


def summary(t: ThreadItem) -> ThreadSummary:
    return ThreadSummary(
        id=t.id, subject=t.subject, status=t.status, status_label=status_label(t),
        created_at=t.created_at, last_message_at=t.last_message_at,
        last_author_role=t.last_author_role, message_count=t.message_count,
        advisor_name=t.assigned_name, unread=t.unread_for_member)


def thread_out(t: ThreadItem, messages: list[MessageItem]) -> ThreadOut:
    return ThreadOut(**summary(t).model_dump(), version=t.version,
                     messages=[_message_out(m) for m in messages])


# ----------------------------------------------------------------------------- members
def _ready_uploads(member_id: str, upload_ids: list[str], found: dict[str, dict]
                   ) -> list[UploadItem]:
    """The uploads a message attaches, read with the rest (`found`, by sort key): the one rule
    of what may be attached (`domain.attachments.check_ready`)."""
    return check_ready(upload_ids, stored_uploads(member_id, list(found.values())))


def _attachments(uploads: list[UploadItem]) -> list[MessageAttachment]:
    return [MessageAttachment(id=u.id, filename=u.filename, size=u.size,
                              content_type=u.content_type) for u in uploads]


def create_thread(caller: Caller, data: ThreadIn, key: str | None = None) -> ThreadOut:
    ctx = member_context(caller.member)
    found = repository.read_items(caller.member, [upload_sk(u) for u in data.upload_ids])
    uploads = _ready_uploads(caller.member, data.upload_ids, found)
    thread_id, created = new_id("T")
    message_id, _ = new_id("M")
    message = MessageItem(id=message_id, thread_id=thread_id, at=created, author_role="member",
                          author_name=ctx.member_name, text=data.message.strip(),
                          attachments=_attachments(uploads), seq=1, by=by())
    thread = ThreadItem(id=thread_id, member_id=caller.member, member_name=ctx.member_name,
                        team=TEAM, subject=data.subject.strip(), status="waiting",
                        created_at=created, updated_at=created, last_message_at=created,
                        last_author_role="member", message_count=1)
    try:
        repository.create_thread(thread, message, [
            *attach_operations(caller.member, uploads, thread_id),
            *idempotency.marker(caller.member_pk, "thread", key, thread_id),
            repository.audit(caller.member, who=ctx.member_name, role="member",
                             action="thread_created", target=thread_id)])
    except Conflict:
        first = idempotency.created_before(caller.member_pk, "thread", key)
        if not first:
            raise
        earlier, messages = repository.conversation(caller.member, first)
        if earlier is None:
            raise
        return thread_out(earlier, messages)
    count("ThreadOpened")
    return thread_out(thread, [message])


def list_threads(caller: Caller, *, cursor: str | None, limit: int) -> Page[ThreadSummary]:
    items, nxt = repository.member_threads(caller.member, cursor=cursor, limit=limit)
    return Page[ThreadSummary](items=[summary(t) for t in items], next=nxt)


def _own(caller: Caller, thread_id: str) -> tuple[ThreadItem, list[MessageItem]]:
    member = caller.member
    if not created_of(thread_id, "T"):
        raise NotFound(NOT_FOUND)
    thread, messages = repository.conversation(member, thread_id)
    if thread is None:
        raise NotFound(NOT_FOUND)
    return thread, messages


def get_thread(caller: Caller, thread_id: str) -> ThreadOut:
    return thread_out(*_own(caller, thread_id))


def add_message(caller: Caller, thread_id: str, data: MessageIn,
                key: str | None = None) -> MessageOut:
    member = caller.member
    if not created_of(thread_id, "T"):
        raise NotFound(NOT_FOUND)
    ctx = member_context(member)
    for attempt in range(2):
        found = repository.read_items(member, [repository.thread_sk(thread_id),
                                               *(upload_sk(u) for u in data.upload_ids)])
        thread = repository.thread_header(found.get(repository.thread_sk(thread_id)))
        if thread is None:
            raise NotFound(NOT_FOUND)
        uploads = _ready_uploads(member, data.upload_ids, found)
        message_id, at = new_id("M")
        message = MessageItem(id=message_id, thread_id=thread_id, at=at, author_role="member",
                              author_name=ctx.member_name, text=data.message.strip(),
                              attachments=_attachments(uploads), seq=thread.message_count + 1,
                              by=by())
        version = thread.version + 1
        # She writes from the conversation: she has read what came before.
        changed = thread.model_copy(update={
            "version": version, "last_member_version": version, "member_seen_version": version,
            "updated_at": at, "last_message_at": at, "last_author_role": "member",
            "message_count": thread.message_count + 1})
        try:
            repository.add_message(changed, expected_version=thread.version, message=message,
                                   extra=[*attach_operations(member, uploads, thread_id),
                                          *idempotency.marker(caller.member_pk,
                                                              f"message_{thread_id}", key,
                                                              message_id)])
        except Conflict:
            first = idempotency.created_before(caller.member_pk, f"message_{thread_id}", key)
            if first:
                item = repository.read_items(member, [repository.message_sk(thread_id, first)])
                if item:
                    return _message_out(MessageItem.model_validate(next(iter(item.values()))))
            if attempt:
                raise
            continue  # an advisor answered meanwhile: hers goes after it
        count("ThreadMessageSent")
        return _message_out(message)
    raise Conflict()  # pragma: no cover - the loop returns or raises


def mark_read(caller: Caller, thread_id: str, data: ReadIn) -> None:
    member = caller.member
    if not created_of(thread_id, "T"):
        raise NotFound(NOT_FOUND)
    found = repository.read_items(member, [repository.thread_sk(thread_id)])
    thread = repository.thread_header(found.get(repository.thread_sk(thread_id)))
    if thread is None:
        raise NotFound(NOT_FOUND)
    seen = min(data.version, thread.version)
    if seen > thread.member_seen_version:
        repository.mark_seen(member, thread_id, "member_seen_version", seen)


def _link(upload: UploadItem | None, thread_id: str) -> AttachmentLink:
    if upload is None or upload.status != "attached" or upload.request_id != thread_id:
        raise NotFound("Cette pièce jointe est introuvable.")
    url = repository.attachment_url(upload.s3_key, upload.filename, upload.content_type,
                                    LINK_SECONDS)
    expires = iso_paris(datetime.fromtimestamp(_now().timestamp() + LINK_SECONDS, UTC))
    # The name the file is saved under (the link's Content-Disposition), not as typed.
    return AttachmentLink(url=url, expires_at=expires,
                          filename=safe_filename(upload.filename,
                                                 extension_of(upload.content_type)))


def attachment(caller: Caller, thread_id: str, upload_id: str) -> AttachmentLink:
    member = caller.member
    if not created_of(thread_id, "T"):
        raise NotFound("Cette pièce jointe est introuvable.")
    return _link(get_upload(member, upload_id), thread_id)


# ----------------------------------------------------------------------------- advisors
def _waiting_minutes(t: ThreadItem, now: datetime) -> int:
    if t.status != "waiting":
        return 0
    return max(0, int((now - datetime.fromisoformat(t.created_at)).total_seconds() // 60))


def _advisor_summary(caller: Caller, t: ThreadItem, now: datetime) -> AdvisorThreadSummary:
    return AdvisorThreadSummary(
        ref=str(Reference(member_id=t.member_id, request_id=t.id)), subject=t.subject,
        status=t.status, status_label=status_label(t), member_name=t.member_name,
        created_at=t.created_at, last_message_at=t.last_message_at,
        last_author_role=t.last_author_role, message_count=t.message_count,
        waiting_minutes=_waiting_minutes(t, now), advisor_name=t.assigned_name,
        mine=t.assigned_to == caller.sub, unread=t.unread_for_advisor)


def _advisor_out(caller: Caller, t: ThreadItem, messages: list[MessageItem]
                 ) -> AdvisorThreadOut:
    return AdvisorThreadOut(**_advisor_summary(caller, t, _now()).model_dump(),
                            member_id=t.member_id, version=t.version,
                            messages=[_message_out(m) for m in messages])


def advisor_threads(caller: Caller, *, box: str, cursor: str | None,
                    limit: int) -> Page[AdvisorThreadSummary]:
    require_advisor(caller)
    team = caller.team or TEAM
    if box == "waiting":
        items, nxt = repository.advisor_threads(repository.waiting_key(team), oldest_first=True,
                                                cursor=cursor, limit=limit)
    else:
        items, nxt = repository.advisor_threads(repository.handled_key(team, caller.sub),
                                                oldest_first=False, cursor=cursor, limit=limit)
    now = _now()
    return Page[AdvisorThreadSummary](items=[_advisor_summary(caller, t, now) for t in items],
                                      next=nxt)


def _load(caller: Caller, ref: str) -> tuple[ThreadItem, list[MessageItem]]:
    require_advisor(caller)
    parsed = Reference.parse(ref)
    if parsed is None or not created_of(parsed.request_id, "T"):
        raise NotFound(NOT_FOUND)
    thread, messages = repository.conversation(parsed.member_id, parsed.request_id)
    if thread is None or thread.team != (caller.team or thread.team):
        raise NotFound(NOT_FOUND)
    return thread, messages


def _who(caller: Caller) -> str:
    return caller.name or "Votre conseiller"


def open_thread(caller: Caller, ref: str) -> AdvisorThreadOut:
    thread, messages = _load(caller, ref)
    opened_at = None if thread.opened_at else iso_paris(_now())
    repository.opened_by_advisor(
        thread.member_id, thread.id, thread.version, opened_at,
        repository.audit(thread.member_id, who=caller.name or caller.sub, role="advisor",
                         action="thread_opened", target=thread.id, detail=thread.subject))
    seen = thread.model_copy(update={"advisor_seen_version": thread.version,
                                     "opened_at": thread.opened_at or opened_at})
    return _advisor_out(caller, seen, messages)


def answer(caller: Caller, ref: str, data: AdvisorMessageIn) -> AdvisorThreadOut:
    thread, messages = _load(caller, ref)
    if data.version != thread.version:
        raise Conflict("L'adhérent a écrit entre-temps, ou un autre conseiller a répondu : "
                       "relisez la conversation avant de répondre.", code="stale_version")
    ctx = member_context(thread.member_id)
    now = _now()
    message_id, at = new_id("M", now)
    message = MessageItem(id=message_id, thread_id=thread.id, at=at, author_role="advisor",
                          author_name=_who(caller), text=data.message.strip(),
                          seq=thread.message_count + 1)
    version = thread.version + 1
    first = thread.first_answer_at is None
    changed = thread.model_copy(update={
        "status": "answered", "version": version, "last_advisor_version": version,
        "advisor_seen_version": version, "updated_at": at, "last_message_at": at,
        "last_author_role": "advisor", "message_count": thread.message_count + 1,
        "assigned_to": thread.assigned_to or caller.sub,
        "assigned_name": thread.assigned_name or _who(caller),
        "first_answer_at": thread.first_answer_at or at})
    extra = [repository.audit(thread.member_id, who=caller.name or caller.sub, role="advisor",
                              action="thread_answered", target=thread.id)]
    if first:
        extra.append(repository.answer_record(thread.team, _answer(thread, now),
                                              ttl=int(now.timestamp()) + ANSWER_LOG_SECONDS))
    extra.append(new_message_email(thread.member_id, ctx.profile.email))
    repository.add_message(changed, expected_version=thread.version, message=message,
                           extra=extra)
    count("ThreadAnswered")
    return _advisor_out(caller, changed, [*messages, message])


def _answer(thread: ThreadItem, now: datetime):
    from support.models import AnswerItem

    created = datetime.fromisoformat(thread.created_at)
    opened = datetime.fromisoformat(thread.opened_at) if thread.opened_at else None
    return AnswerItem(at=iso_paris(now), thread_id=thread.id, thread_created_at=thread.created_at,
                      handling_seconds=int((now - opened).total_seconds()) if opened else None,
                      waited_seconds=int((now - created).total_seconds()))


def advisor_attachment(caller: Caller, ref: str, upload_id: str) -> AttachmentLink:
    require_advisor(caller)
    parsed = Reference.parse(ref)
    if parsed is None or not created_of(parsed.request_id, "T"):
        raise NotFound("Cette pièce jointe est introuvable.")
    link = _link(get_upload(parsed.member_id, upload_id), parsed.request_id)
    repository.record([repository.audit(parsed.member_id, who=caller.name or caller.sub,
                                        role="advisor", action="attachment_opened",
                                        target=upload_id)])
    return link


def new_message_email(member_id: str, address: str) -> dict:
    """« Vous avez un nouveau message »: where to read it, never what it says; written with the
    answer (the outbox), so it leaves once the answer is stored, and only then."""
    settings = get_settings()
    body = "\n".join([
        "Bonjour,", "",
        "Un conseiller vous a répondu. Pour lire sa réponse, connectez-vous à votre espace "
        "adhérent, rubrique « Contact & aide » :",
        f"{settings.site_url}/espace/contact/", "",
        "Par sécurité, ce courriel ne reprend jamais le contenu de vos échanges. Nous ne vous "
        "demanderons jamais votre mot de passe ni vos coordonnées bancaires par courriel.", "",
        settings.brand_name])
    return notify.email(member_id, address, "Vous avez un nouveau message", body)
