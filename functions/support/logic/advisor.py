"""The advisors' workspace: the queue, a request with the member's context, and the actions
(take, ask for information, accept, refuse), each with a message to the member.

Need to know: an advisor reaches a member's file only through one of her requests, and every
opening and every action goes to the member's audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain import audit, sessions
from domain import notifications as notify
from domain.documents import store
from domain.membership import MemberContext, member_context
from domain.requests import (
    ACTORS,
    CATEGORY_LABELS,
    KINDS,
    OPEN,
    STATUS_LABELS,
    TRANSITIONS,
    Event,
    Reference,
    RequestItem,
    next_status,
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
from support.logic.duplicates import care_key, likely_duplicates
from support.logic.effects import EFFECTS, claim_for
from support.logic.view import out, summary
from support.models import (
    ActionIn,
    AdvisorRequestOut,
    BeneficiaryContext,
    Detail,
    QueueItem,
    Split,
)
from support.models import (
    MemberContext as MemberContextOut,
)

NOT_FOUND = "Cette page est réservée aux conseillers."
DEFAULT_MESSAGES = {
    "take": None,
    "accept": "Votre demande a été acceptée.",
}
NEED_MESSAGE = {"ask": "Dites à l'adhérent quelles informations ou quels documents il manque.",
                "refuse": "Expliquez à l'adhérent pourquoi sa demande est refusée et ce qu'il "
                          "peut faire."}


def _now() -> datetime:
    return clock.now()


def logout(caller: Caller, *, everywhere: bool) -> None:
    """End this session of hers (or every one, her refresh tokens revoked first)."""
    require_advisor(caller)
    if everywhere:
        repository.sign_out_advisor(caller.sub)
    sessions.close(caller, everywhere=everywhere)


def require_advisor(caller: Caller) -> None:
    """Members (and anyone outside the advisors' group) get 404 here, as for a missing page."""
    if caller.role != "advisor":
        raise NotFound(NOT_FOUND)


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
        deadline=r.deadlines.answer_by if r.deadlines else None) for r in items], next=nxt)


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


def detail(caller: Caller, ref: str) -> AdvisorRequestOut:
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
    status = next_status(action, request.status)
    if request.status == "in_progress" and request.assigned_to not in (None, caller.sub):
        raise Conflict(f"{request.assigned_name or 'Un autre conseiller'} traite déjà cette "
                       f"demande.", code="assigned_elsewhere")
    message = (data.message or "").strip() or DEFAULT_MESSAGES.get(action)
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
                                        target=request.reference)]
    if action in letters.DECISIONS:  # a final answer is also a letter in her documents
        letter, body = letters.final_answer(changed, ctx, action, message or "",
                                            changed.assigned_name or "Votre conseiller")
        store(parsed.member_id, letter, body, write=lambda filing: repository.replace(
            changed, expected=request, extra=[*effects, *filing]))
    else:
        repository.replace(changed, expected=request, extra=effects)
    count(f"Request{action.capitalize()}")
    notify.status_changed(ctx.profile.email, changed)
    return AdvisorRequestOut(
        **out(changed, for_member=False).model_dump(), ref=_ref(changed), team=changed.team,
        assigned_name=changed.assigned_name, mine=True, allowed=_allowed(caller, changed),
        accept_effect=KINDS[changed.kind].accept_effect,
        member=_context(ctx, []), split=None, split_problem=None)


__all__ = ["OPEN", "act", "detail", "queue"]
