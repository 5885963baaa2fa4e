"""« Je ne reconnais pas ce paiement »: her report of a payment becomes a request for the
advisors (kind payment_dispute, followed in « Mes demandes ») and, in the same transaction, an
event for the management system (PaymentDisputed). One report per payment: a second one,
whatever its Idempotency-Key, answers the first."""

from __future__ import annotations

from claims import repository
from claims.logic.reimbursements import disputable
from claims.models import DisputeIn, DisputeOut
from domain import events
from domain.membership import member_context
from domain.requests import RequestItem, get, submit
from shared import clock
from shared.dates import fr_date
from shared.errors import Conflict, NotFound, Unprocessable
from shared.identity import Caller
from shared.observability import count


def _out(request: RequestItem) -> DisputeOut:
    return DisputeOut(id=request.id, reference=request.reference,
                      created_at=request.created_at)


def _earlier(member_id: str, marker: dict | None) -> DisputeOut | None:
    request = get(member_id, marker["request_id"]) if marker else None
    return _out(request) if request else None


def dispute(caller: Caller, claim_id: str, data: DisputeIn, key: str | None) -> DisputeOut:
    ctx = member_context(caller.member)
    claim, _, marker = repository.claim_with_marks(ctx.member_pk, claim_id)
    if claim is None:
        raise NotFound("Ce remboursement est introuvable.")
    earlier = _earlier(ctx.member_id, marker)
    if earlier:
        return earlier
    if not disputable(claim):
        raise Unprocessable("La mutuelle n'a rien versé pour ce remboursement : il n'y a pas "
                            "de paiement à signaler. Pour une question, faites une autre "
                            "demande.", code="nothing_paid")
    paid_on = claim.payment_date or clock.today()
    payload = {"claim_id": claim.id, "act_label": claim.act_label,
               "care_date": claim.care_date.isoformat(), "paid_on": paid_on.isoformat(),
               "amount_cents": claim.mutual_cents,
               "bank_account_masked": claim.bank_account_masked}

    def marker_and_event(request: RequestItem) -> list[dict]:
        return [
            {"put": {"pk": ctx.member_pk, "sk": f"{repository.DISPUTE}{claim.id}",
                     "type": "payment_dispute_marker", "request_id": request.id,
                     "reference": request.reference, "created_at": request.created_at}},
            events.PaymentDisputed(request_id=request.id, claim_id=claim.id, paid_on=paid_on,
                                   amount_cents=claim.mutual_cents).operation(ctx.member_id),
        ]

    try:
        request = submit(ctx, kind="payment_dispute", key=key,
                         beneficiary_id=claim.beneficiary_id
                         if claim.beneficiary_id in ctx.beneficiaries else None,
                         category="reimbursement_question",
                         subject=f"Paiement du {fr_date(paid_on)} non reconnu",
                         message=(data.message or "").strip() or None, upload_ids=[],
                         payload=payload, also=marker_and_event)
    except Conflict:
        # Reported at the same moment from another tab: the first report stands.
        _, _, marker = repository.claim_with_marks(ctx.member_pk, claim_id)
        earlier = _earlier(ctx.member_id, marker)
        if earlier is None:
            raise
        return earlier
    count("PaymentDisputed")
    return _out(request)
