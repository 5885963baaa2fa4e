"""What accepting a request does, per kind: transaction operations written together with the
status change (exactly once: a second acceptance finds the request changed, 409), and what
the request records of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.dates import today_paris
from shared.iban import mask_iban
from shared.membership import MemberContext
from shared.reimbursement import CareFacts, Practitioner, claim_to_item, past_consumptions
from shared.requests import RequestItem

Effect = Callable[[RequestItem, MemberContext], tuple[list[dict], dict[str, Any]]]


def claim_for(request: RequestItem, ctx: MemberContext):
    """The reimbursement the engine computes for the care the member described, on the
    beneficiary's history today: what accepting will pay, shown to the advisor before."""
    from engine import BeneficiaryFacts, CareInput, History
    from support.logic.reimburse import build_claim

    care = CareFacts.model_validate(request.payload["care"])
    benef = ctx.beneficiary(care.beneficiary_id)
    iban = benef.benefit_iban
    return build_claim(
        claim_id=f"C{care.care_date:%Y%m%d}-{request.id[-8:]}",
        care=CareInput.of(care, request.payload["amount_cents"]),
        beneficiary=BeneficiaryFacts.of(benef), beneficiary_name=benef.name,
        formula_id=ctx.active_contract().formula_id,
        history=History.from_stored(
            past_consumptions(ctx.member_pk, benef.id, care.care_date), benef.id,
            care.care_date),
        practitioner=Practitioner(sector=care.practitioner.sector,
                                  optam=care.practitioner.optam),
        status="paid", payment_date=today_paris(),
        bank_account_masked=mask_iban(iban) if iban else None, request_id=request.id)


def reimbursement(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    claim = claim_for(request, ctx)
    return [{"put": claim_to_item(ctx.member_pk, claim)}], {"claim_id": claim.id}


def nothing(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    return [], {}


EFFECTS: dict[str, Effect] = {"reimbursement": reimbursement, "other": nothing}
