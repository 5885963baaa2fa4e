"""Trop-perçus in « Mes remboursements »: what she owes back, why, by when; asking for
instalments or contesting it files a request for the advisors (kinds
overpayment_instalments, overpayment_contest) and tells the management system (events), in
one transaction with the overpayment's new state. Paying it by card is the contract
function's (contract.logic.payments)."""

from __future__ import annotations

from claims import repository
from claims.models import (
    OverpaymentContestIn,
    OverpaymentDetail,
    OverpaymentInstalmentsIn,
    OverpaymentOut,
    OverpaymentRequestOut,
)
from domain import events
from domain import overpayments as op
from domain.membership import MemberContext, member_context
from domain.reimbursement import get_claim
from domain.requests import RequestItem, get, submit
from shared import clock
from shared.dates import fr_date
from shared.errors import Conflict, NotFound, Unprocessable
from shared.identity import Caller
from shared.money import format_eur
from shared.observability import count
from shared.settings import get_settings

NOT_FOUND = "Ce trop-perçu est introuvable."


def _care_label(item: op.OverpaymentItem) -> str:
    return item.act_label or "Remboursement de soins"


def _out(ctx: MemberContext, item: op.OverpaymentItem, now: int) -> dict:
    status = op.status(item, now)
    benef = ctx.beneficiaries.get(item.beneficiary_id)
    return {
        "id": item.id, "reference": item.reference, "claim_id": item.claim_id,
        "care_date": item.care_date, "care_label": _care_label(item),
        "beneficiary_id": item.beneficiary_id,
        "beneficiary_name": benef.name if benef else "Bénéficiaire du contrat",
        "amount_cents": item.amount_cents, "remaining_cents": op.remaining_cents(item, now),
        "reason": item.reason, "due_date": item.due_date, "status": status,
        "status_label": op.STATUS_LABELS[status], "paid_on": item.paid_on or item.balanced_on,
        "paid_by_card": item.payment_id is not None and item.paid_on is not None,
        "can_pay": status in ("due", "instalments_requested"),
        "can_request_instalments": status == "due",
        "can_contest": status in ("due", "instalments_requested"),
        "request_id": item.contest_request or item.instalments_request,
        "instalments_months": item.instalments_months}


def list_overpayments(caller: Caller) -> list[OverpaymentOut]:
    ctx = member_context(caller.member)
    now = clock.epoch()
    items = op.of(repository.overpayments(ctx.member_pk))
    # What she still owes first, the nearest deadline first; then the settled ones.
    items.sort(key=lambda i: (op.status(i, now) not in op.OWED, i.due_date, i.id))
    return [OverpaymentOut.model_validate(_out(ctx, i, now)) for i in items]


def _load(ctx: MemberContext, overpayment_id: str) -> op.OverpaymentItem:
    if not op.ID.match(overpayment_id):
        raise NotFound(NOT_FOUND)
    found = op.of(repository.overpayment_and_claim(ctx.member_pk, overpayment_id))
    if not found:
        raise NotFound(NOT_FOUND)
    return found[0]


def get_overpayment(caller: Caller, overpayment_id: str) -> OverpaymentDetail:
    ctx = member_context(caller.member)
    item = _load(ctx, overpayment_id)
    out = _out(ctx, item, clock.epoch())
    claim = get_claim(ctx.member_pk, item.claim_id) if item.claim_id else None
    if claim is not None:
        out.update(claim_payment_date=claim.payment_date, claim_paid_cents=claim.mutual_cents,
                   bank_account_masked=claim.bank_account_masked)
        if not item.act_label:
            out["care_label"] = claim.act_label
    else:
        out["claim_id"] = None  # no décompte to link to
    return OverpaymentDetail.model_validate(out)


def _filed(request: RequestItem, status: str) -> OverpaymentRequestOut:
    return OverpaymentRequestOut(id=request.id, reference=request.reference,
                                 created_at=request.created_at, overpayment_status=status)


def _earlier(ctx: MemberContext, request_id: str | None, status: str
             ) -> OverpaymentRequestOut | None:
    request = get(ctx.member_id, request_id) if request_id else None
    return _filed(request, status) if request else None


def _update(ctx: MemberContext, item: op.OverpaymentItem, attrs: dict, condition: str) -> dict:
    """The overpayment's new state, conditioned on what was read (the request and it, or
    neither)."""
    names = {f"#a{i}": k for i, k in enumerate(attrs)}
    values = {f":a{i}": v for i, v in enumerate(attrs.values())}
    names.update({"#g": "gestion_status", "#p": "paid_on", "#c": "contest_request",
                  "#h": "pending_until"})
    values.update({":issued": "issued", ":now": clock.epoch()})
    return {"raw_update": {
        "Key": op.key(ctx.member_id, item.id),
        "UpdateExpression": "SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(attrs))),
        "ConditionExpression": "#g = :issued AND attribute_not_exists(#p) AND "
                               "attribute_not_exists(#c) AND "
                               "(attribute_not_exists(#h) OR #h < :now)" + condition,
        "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}}


def _refuse_if_closed(item: op.OverpaymentItem, now: int) -> None:
    status = op.status(item, now)
    if status in ("paid", "cancelled", "contested"):
        _, code, why = op.payable(item, now)
        raise Conflict(why or "", code=code or "closed")
    if status == "paying":
        raise Conflict("Un paiement par carte de ce trop-perçu est en cours : terminez-le ou "
                       "attendez quelques minutes avant de faire une demande.",
                       code="payment_in_progress")


def _payload(item: op.OverpaymentItem) -> dict:
    return {"overpayment_id": item.id, "overpayment_reference": item.reference,
            "claim_id": item.claim_id, "amount_cents": item.amount_cents,
            "due_date": item.due_date.isoformat(), "reason": item.reason}


def request_instalments(caller: Caller, overpayment_id: str, data: OverpaymentInstalmentsIn,
                        key: str | None) -> OverpaymentRequestOut:
    ctx = member_context(caller.member)
    item = _load(ctx, overpayment_id)
    if item.instalments_request:
        earlier = _earlier(ctx, item.instalments_request, op.status(item, clock.epoch()))
        if earlier:
            return earlier
    if not op.MIN_MONTHS <= data.months <= op.MAX_MONTHS:
        raise Unprocessable(f"Choisissez un échéancier de {op.MIN_MONTHS} à {op.MAX_MONTHS} "
                            "mensualités.", code="months_out_of_range",
                            fields={"months": "de 2 à 12 mensualités"})
    _refuse_if_closed(item, clock.epoch())
    monthly = -(-item.amount_cents // data.months)
    message = (data.message or "").strip() or None

    def state_and_event(request: RequestItem) -> list[dict]:
        return [_update(ctx, item, {"instalments_request": request.id,
                                    "instalments_months": data.months},
                        " AND attribute_not_exists(#a0)"),
                events.OverpaymentInstalmentsRequested(
                    request_id=request.id, overpayment_id=item.id, months=data.months,
                    amount_cents=item.amount_cents, message=message,
                ).operation(ctx.member_id)]

    try:
        request = submit(ctx, kind="overpayment_instalments", key=key,
                         beneficiary_id=item.beneficiary_id
                         if item.beneficiary_id in ctx.beneficiaries else None,
                         subject=f"Échéancier pour le trop-perçu {item.reference} : "
                                 f"{data.months} mensualités d'environ {format_eur(monthly)}",
                         message=message, upload_ids=[],
                         payload={**_payload(item), "months": data.months}, also=state_and_event)
    except Conflict:
        return _after_race(ctx, overpayment_id, "instalments_request")
    count("OverpaymentInstalmentsRequested")
    return _filed(request, "instalments_requested")


def contest(caller: Caller, overpayment_id: str, data: OverpaymentContestIn,
            key: str | None) -> OverpaymentRequestOut:
    ctx = member_context(caller.member)
    item = _load(ctx, overpayment_id)
    if item.contest_request:
        earlier = _earlier(ctx, item.contest_request, "contested")
        if earlier:
            return earlier
    message = data.message.strip()
    if not message:
        raise Unprocessable("Dites-nous pourquoi vous contestez ce trop-perçu : le conseiller "
                            "en a besoin pour l'examiner.", code="message_required",
                            fields={"message": "motif obligatoire"})
    _refuse_if_closed(item, clock.epoch())

    def state_and_event(request: RequestItem) -> list[dict]:
        return [_update(ctx, item, {"contest_request": request.id}, ""),
                events.OverpaymentContested(
                    request_id=request.id, overpayment_id=item.id,
                    amount_cents=item.amount_cents, message=message,
                    documents=len(data.upload_ids)).operation(ctx.member_id)]

    try:
        request = submit(ctx, kind="overpayment_contest", key=key,
                         beneficiary_id=item.beneficiary_id
                         if item.beneficiary_id in ctx.beneficiaries else None,
                         category="reimbursement_question",
                         subject=f"Contestation du trop-perçu {item.reference} "
                                 f"({format_eur(item.amount_cents)}, soins du "
                                 f"{fr_date(item.care_date) if item.care_date else '—'})",
                         message=message, upload_ids=list(data.upload_ids),
                         payload=_payload(item), also=state_and_event)
    except Conflict:
        return _after_race(ctx, overpayment_id, "contest_request")
    count("OverpaymentContested")
    return _filed(request, "contested")


def _after_race(ctx: MemberContext, overpayment_id: str, attr: str) -> OverpaymentRequestOut:
    """The transaction's condition failed: another tab filed the same request (answer it), or
    the overpayment changed meanwhile (say so)."""
    item = _load(ctx, overpayment_id)
    now = clock.epoch()
    earlier = _earlier(ctx, getattr(item, attr), op.status(item, now))
    if earlier:
        return earlier
    _refuse_if_closed(item, now)
    raise Conflict("Ce trop-perçu vient de changer : rechargez la page.",
                   code="overpayment_changed")


def site() -> str:
    return get_settings().site_url.rstrip("/")
