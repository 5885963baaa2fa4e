"""Turning a care into a reimbursement (décompte) with the engine: used when a request is
processed and by the demo seed, so stored figures always come from the same rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from claims.engine import BeneficiaryFacts, CareInput, History, PastCare, compute, get_act
from claims.models import ClaimItem, ClaimStatus, FigureLine, Practitioner, Totals


def history_from_claims(claims: Iterable[ClaimItem], beneficiary_id: str, on: date) -> History:
    past = [PastCare.model_validate(c.consumption) for c in claims
            if c.beneficiary_id == beneficiary_id and c.consumption and c.status != "rejected"]
    return History.from_past(past, beneficiary_id=beneficiary_id, on=on)


def build_claim(*, claim_id: str, care: CareInput, beneficiary: BeneficiaryFacts,
                beneficiary_name: str, formula_id: str, history: History,
                practitioner: Practitioner | None, status: ClaimStatus,
                payment_date: date | None, bank_account_masked: str | None,
                request_id: str | None = None) -> ClaimItem:
    breakdown = compute(care, beneficiary, formula_id=formula_id, history=history)
    act = get_act(care.act_code, care.care_date)
    return ClaimItem(
        id=claim_id,
        care_date=care.care_date,
        beneficiary_id=beneficiary.id,
        beneficiary_name=beneficiary_name,
        act_code=act.code,
        act_label=act.label,
        category=act.category,
        category_label=act.category_label,
        quantity=care.quantity,
        practitioner=practitioner,
        care_pathway=care.care_pathway,
        **Totals.model_validate(breakdown.totals).model_dump(),
        lines=[FigureLine.model_validate(ln) for ln in breakdown.lines],
        consumption=breakdown.to_past(beneficiary.id, care.care_date).model_dump(mode="json"),
        status=status,
        payment_date=payment_date,
        bank_account_masked=bank_account_masked,
        request_id=request_id,
    )
