"""« Mes demandes »: a member sends requests of every kind, follows them, answers when
information is needed."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from domain import attachments
from domain.membership import member_context
from domain.requests import (
    CATEGORY_LABELS,
    KINDS,
    Attachment,
    Event,
    RequestItem,
    get,
    next_status,
    submit,
)
from shared import clock
from shared.errors import Conflict, NotFound, Unprocessable
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris
from support import repository
from support.logic.duplicates import likely_duplicates
from support.logic.view import out, summary
from support.models import (
    AnswerIn,
    Detail,
    DuplicateCheckIn,
    KindOut,
    OtherRequestIn,
    ReimbursementRequestIn,
    RequestOut,
    RequestSummary,
)

# Mutuelle claims are time-barred after two years (Code de la mutualité, art. L221-11).
CLAIM_DEADLINE_DAYS = 2 * 365


def _now() -> datetime:
    return clock.now()


def kinds() -> list[KindOut]:
    return [KindOut(kind=k.kind, label=k.label, documents=k.documents,
                    min_documents=k.min_documents, max_documents=k.max_documents,
                    categories=[Detail(label=CATEGORY_LABELS[c], value=c)
                                for c in k.categories]) for k in KINDS.values()]


def _attachments(member_id: str, upload_ids: list[str], request_id: str):
    ready = attachments.ready_uploads(member_id, upload_ids)
    attached = [Attachment(id=u.id, filename=u.filename, size=u.size,
                           content_type=u.content_type) for u in ready]
    return attached, attachments.attach_operations(member_id, ready, request_id)


def create_reimbursement(caller: Caller, data: ReimbursementRequestIn,
                         key: str | None = None) -> RequestOut:
    from engine import get_act

    ctx = member_context(caller.member)
    ctx.active_contract()
    benef = ctx.beneficiary(data.beneficiary_id)
    today = clock.today()
    if data.care_date > today:
        raise Unprocessable("La date des soins est dans le futur : indiquez la date à laquelle "
                            "les soins ont eu lieu.", code="care_date_future",
                            fields={"care_date": "date dans le futur"})
    if data.care_date < today - timedelta(days=CLAIM_DEADLINE_DAYS):
        raise Unprocessable("Ces soins datent de plus de deux ans : ils ne peuvent plus être "
                            "remboursés (délai de prescription).", code="care_date_too_old",
                            fields={"care_date": "plus de deux ans"})
    act = get_act(data.act_code, data.care_date)
    care = data.model_dump(mode="json", exclude={"amount_cents", "upload_ids", "comment"})
    care["act_code"] = act.code
    return out(submit(ctx, kind="reimbursement", key=key, beneficiary_id=benef.id,
                      subject=f"{act.label} du {data.care_date:%d/%m/%Y}",
                      message=data.comment, upload_ids=data.upload_ids,
                      payload={"care": care, "amount_cents": data.amount_cents,
                               "act_label": act.label,
                               # The questions she answered (the form asks some for some
                               # acts only): her detail and the advisor's show them.
                               "answered": sorted(data.model_fields_set
                                                  & {"practitioner", "care_pathway"})}))


def duplicates(caller: Caller, data: DuplicateCheckIn) -> list[RequestSummary]:
    """Her earlier requests for the same care (person, care, date, amount), newest first."""
    from engine import get_act

    act = get_act(data.act_code, data.care_date)
    key = (data.beneficiary_id, act.code, data.care_date.isoformat(), data.amount_cents)
    return [summary(r) for r in likely_duplicates(
        key, repository.member_with_requests(caller.member))]


def create_other(caller: Caller, data: OtherRequestIn, key: str | None = None) -> RequestOut:
    ctx = member_context(caller.member)
    return out(submit(ctx, kind="other", key=key, category=data.category,
                      subject=data.subject.strip(), message=data.message.strip(),
                      upload_ids=data.upload_ids, beneficiary_id=data.beneficiary_id))


def list_requests(caller: Caller, *, kind: str | None, status: str | None, query: str | None,
                  cursor: str | None, limit: int) -> Page[RequestSummary]:
    items, nxt = repository.list_for_member(caller.member, kind=kind, status=status,
                                            query=query, cursor=cursor, limit=limit)
    return Page[RequestSummary](items=[summary(r) for r in items], next=nxt)


def _own(caller: Caller, request_id: str) -> RequestItem:
    request = get(caller.member, request_id)
    if request is None:
        raise NotFound("Cette demande est introuvable.")
    return request


def get_request(caller: Caller, request_id: str) -> RequestOut:
    return out(_own(caller, request_id))


def mark_read(caller: Caller, request_id: str) -> None:
    request = _own(caller, request_id)
    if not request.unread_for_member:
        return
    seen = request.model_copy(update={"member_seen_version": request.version})
    with contextlib.suppress(Conflict):  # changed meanwhile: it stays unread, which is right
        repository.replace(seen, expected=request, extra=[])


def answer(caller: Caller, request_id: str, data: AnswerIn) -> RequestOut:
    ctx = member_context(caller.member)
    request = _own(caller, request_id)
    status = next_status("answer", request.status)
    attachments, attach = _attachments(caller.member, data.upload_ids, request.id)
    now = iso_paris(_now())
    answered = request.model_copy(update={
        "status": status, "version": request.version + 1, "updated_at": now,
        "member_seen_version": request.version + 1,
        "attachments": [*request.attachments, *attachments],
        "history": [*request.history, Event(
            at=now, by_role="member", by_name=ctx.member_name, action="answer", status=status,
            message=data.message.strip(), attachments=attachments)]})
    repository.replace(answered, expected=request, extra=[
        *attach, repository.audit(caller.member, who=ctx.member_name, role="member",
                                  action="request_answered", target=request.reference)])
    return out(answered)
