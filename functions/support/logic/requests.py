"""Requests of every kind. The member sends them, follows them and answers when information
is needed; the advisors' workspace holds the queue, a request with the member's context, and the
actions (take, ask for information, accept, refuse), each with a message to the member.

Need to know: an advisor reaches a member's file only through one of her requests, and every
opening and every action goes to the member's audit trail.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from domain import attachments, audit
from domain import notifications as notify
from domain.documents import store
from domain.membership import MemberContext, member_context
from domain.procurations import by, by_label
from domain.requests import (
    ACTORS,
    CATEGORY_LABELS,
    KINDS,
    STATUS_LABELS,
    TRANSITIONS,
    Attachment,
    Event,
    Reference,
    RequestItem,
    get,
    next_status,
    submit,
)
from domain.split import Totals
from shared import clock
from shared.dates import PARIS
from shared.errors import Conflict, NotFound, RuleError, Unprocessable
from shared.http import Page
from shared.identity import Caller
from shared.ids import created_at_of, iso_paris
from shared.observability import count
from support import repository
from support.logic import letters
from support.logic.access import NOT_FOUND, require_advisor
from support.logic.duplicates import care_key, likely_duplicates
from support.logic.effects import EFFECTS, claim_for
from support.logic.view import out, summary
from support.models import (
    ActionIn,
    AdvisorRequestOut,
    AnswerIn,
    BeneficiaryContext,
    Detail,
    DuplicateCheckIn,
    KindOut,
    OtherRequestIn,
    QueueItem,
    ReimbursementRequestIn,
    RequestOut,
    RequestSummary,
    Split,
)
from support.models import (
    MemberContext as MemberContextOut,
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
            message=data.message.strip(), attachments=attachments, by=by())]})
    repository.replace(answered, expected=request, extra=[
        *attach, repository.audit(caller.member, who=ctx.member_name, role="member",
                                  action="request_answered", target=request.reference)])
    return out(answered)


# ----------------------------------------------------------------- the advisors' workspace
DEFAULT_MESSAGES = {
    "take": None,
    "accept": "Votre demande a été acceptée.",
}
NEED_MESSAGE = {"ask": "Dites à l'adhérent quelles informations ou quels documents il manque.",
                "refuse": "Expliquez à l'adhérent pourquoi sa demande est refusée et ce qu'il "
                          "peut faire."}




def _ref(request: RequestItem) -> str:
    return str(Reference(member_id=request.member_id, request_id=request.id))


def _age_days(request: RequestItem) -> int:
    created = created_at_of(request.id)
    return (clock.today() - created.astimezone(PARIS).date()).days if created else 0


def queue(caller: Caller, *, team: str | None, status: str, kind: str | None,
          older_than_days: int | None, cursor: str | None, limit: int) -> Page[QueueItem]:
    require_advisor(caller)
    before = None
    if older_than_days:
        before = (_now() - timedelta(days=older_than_days)).strftime("%Y%m%dT%H%M%S")
    items, nxt = repository.queue(team or caller.team or "gestion", status, kind=kind,
                                  created_before=before, cursor=cursor, limit=limit)
    return Page[QueueItem](items=[QueueItem(
        ref=_ref(r), reference=r.reference, kind=r.kind, kind_label=KINDS[r.kind].label,
        category_label=CATEGORY_LABELS.get(r.category or ""), subject=r.subject,
        status=r.status, status_label=STATUS_LABELS[r.status], created_at=r.created_at,
        age_days=_age_days(r), member_name=r.history[0].by_name if r.history else "",
        assigned_name=r.assigned_name, mine=r.assigned_to == caller.sub,
        deadline=r.deadlines.answer_by if r.deadlines else None,
        by_label=by_label(r.by)) for r in items], next=nxt)


def _load(caller: Caller, ref: str) -> tuple[Reference, RequestItem, list[RequestItem]]:
    """The request named by `ref`, and the member's others (her file read at once)."""
    require_advisor(caller)
    parsed = Reference.parse(ref)
    if parsed is None or created_at_of(parsed.request_id) is None:
        raise NotFound("Cette demande est introuvable.")
    requests = repository.member_with_requests(parsed.member_id)
    request = next((r for r in requests if r.id == parsed.request_id), None)
    if request is None or request.team != (caller.team or request.team):
        raise NotFound("Cette demande est introuvable.")
    return parsed, request, [r for r in requests if r.id != request.id]


def _allowed(caller: Caller, request: RequestItem) -> list[str]:
    return [action for action in ("take", "ask", "accept", "refuse")
            if (action, request.status) in TRANSITIONS
            and not (request.status == "in_progress" and request.assigned_to != caller.sub)]


def _context(ctx: MemberContext, recent: list[RequestItem]) -> MemberContextOut:
    contract = ctx.contract
    return MemberContextOut(
        member_id=ctx.member_id, name=ctx.member_name,
        formula_label=contract.formula_label if contract else None,
        contract_start=contract.start_date if contract else None,
        beneficiaries=[BeneficiaryContext(
            id=b.id, name=b.name, relationship_label=b.relationship_label,
            age=b.age_on(ctx.on), situations=[
                *(["Régime local d'Alsace-Moselle"] if b.situation.regime != "general"
                  else []),
                *(f"ALD : {a.label}" for a in b.situation.ald_on(ctx.on)),
                *(["C2S"] if any(p.covers(ctx.on) for p in b.situation.c2s) else []),
                *(["AME"] if any(p.covers(ctx.on) for p in b.situation.ame) else []),
                *(["Maternité"] if any(p.maternity_period().covers(ctx.on)
                                       for p in b.situation.pregnancies) else [])])
            for b in ctx.beneficiaries.values()],
        recent_requests=[summary(r) for r in recent])


def _split(request: RequestItem, ctx: MemberContext) -> tuple[Split | None, str | None]:
    if request.kind != "reimbursement":
        return None, None
    try:
        claim = claim_for(request, ctx)
    except (RuleError, Unprocessable) as problem:
        message = getattr(problem, "message_fr", None) or getattr(problem, "message", "")
        return None, message
    return Split(totals=Totals.model_validate(claim), lines=claim.lines,
                 situations=claim.situations, notes=[]), None


ACCESS_ACTIONS = {"email_changed": "adresse e-mail changée",
                  "password_changed": "mot de passe changé",
                  "password_reset": "mot de passe réinitialisé"}
RECENT = timedelta(days=30)


def access_changes(member_id: str, request: RequestItem) -> str:
    """Bank-detail fraud starts by taking the account over: say whether its email or password
    changed in the month before the request, or since."""
    since = datetime.fromisoformat(request.created_at) - RECENT
    seen = [f"{ACCESS_ACTIONS[e['action']]} le {e['at'][:10]}" for e in audit.recent(member_id)
            if e["action"] in ACCESS_ACTIONS and datetime.fromisoformat(e["at"]) >= since]
    return ", ".join(seen) or "Aucun"


def advisor_detail(caller: Caller, ref: str) -> AdvisorRequestOut:
    parsed, request, others = _load(caller, ref)
    ctx = member_context(parsed.member_id)
    split, problem = _split(request, ctx)
    extra = [Detail(label="Changements de l'accès (30 jours avant la demande et depuis)",
                    value=access_changes(parsed.member_id, request))] \
        if request.kind == "bank_details" else []
    repository.record([repository.audit(parsed.member_id, who=caller.name or caller.sub,
                                        role="advisor", action="request_opened",
                                        target=request.reference)])
    view = out(request, for_member=False)
    return AdvisorRequestOut(
        **view.model_dump(exclude={"details"}), details=[*view.details, *extra],
        ref=_ref(request), team=request.team,
        assigned_name=request.assigned_name, mine=request.assigned_to == caller.sub,
        allowed=_allowed(caller, request), accept_effect=KINDS[request.kind].accept_effect,
        member=_context(ctx, others[:5]),
        split=split, split_problem=problem,
        duplicates=[summary(r) for r in likely_duplicates(care_key(request), others)])


def act(caller: Caller, ref: str, action: str, data: ActionIn) -> AdvisorRequestOut:
    parsed, request, _ = _load(caller, ref)
    if ACTORS.get(action) != "advisor":
        raise NotFound(NOT_FOUND)
    if data.version != request.version:
        raise Conflict("Cette demande a changé depuis que vous l'avez ouverte : rechargez-la "
                       "avant d'agir.", code="stale_version")
    status = next_status(action, request.status, request.kind)
    if request.status == "in_progress" and request.assigned_to not in (None, caller.sub):
        raise Conflict(f"{request.assigned_name or 'Un autre conseiller'} traite déjà cette "
                       f"demande.", code="assigned_elsewhere")
    message = (data.message or "").strip() or (
        letters.SENT_FOR_PAYMENT if status == "payment_requested"
        else DEFAULT_MESSAGES.get(action))
    if action in NEED_MESSAGE and not message:
        raise Unprocessable(NEED_MESSAGE[action], code="message_missing",
                            fields={"message": "message à l'adhérent"})
    ctx = member_context(parsed.member_id)
    extra, outcome = ([], {})
    if action == "accept":
        extra, outcome = EFFECTS[request.kind](request, ctx)
    now = iso_paris(_now())
    changed = request.model_copy(update={
        "status": status, "version": request.version + 1, "updated_at": now,
        "assigned_to": caller.sub, "assigned_name": caller.name or "Votre conseiller",
        "outcome": {**request.outcome, **outcome},
        "history": [*request.history, Event(
            at=now, by_role="advisor", by_name=caller.name or "Votre conseiller",
            action=action, status=status, message=message)]})
    effects = [*extra, repository.audit(parsed.member_id, who=caller.name or caller.sub,
                                        role="advisor", action=f"request_{action}",
                                        target=request.reference),
               notify.status_email(parsed.member_id, ctx.profile.email, changed)]
    if action in letters.DECISIONS:  # a final answer is also a letter in her documents
        letter, body = letters.final_answer(changed, ctx, action, message or "",
                                            changed.assigned_name or "Votre conseiller")
        store(parsed.member_id, letter, body, write=lambda filing: repository.replace(
            changed, expected=request, extra=[*effects, *filing]))
    else:
        repository.replace(changed, expected=request, extra=effects)
    count(f"Request{action.capitalize()}")
    return AdvisorRequestOut(
        **out(changed, for_member=False).model_dump(), ref=_ref(changed), team=changed.team,
        assigned_name=changed.assigned_name, mine=True, allowed=_allowed(caller, changed),
        accept_effect=KINDS[changed.kind].accept_effect,
        member=_context(ctx, []), split=None, split_problem=None)

