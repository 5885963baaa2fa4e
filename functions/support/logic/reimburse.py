"""Turning a care into a reimbursement (décompte) with the engine: when an advisor accepts a
reimbursement request, and for the demo seed, so stored figures always come from the same
rules as estimates."""

from __future__ import annotations

from datetime import date

from domain.reimbursement import ClaimItem, ClaimStatus, Practitioner
from engine import BeneficiaryFacts, CareInput, History, compute, get_act


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
        **breakdown.totals.model_dump(),
        lines=list(breakdown.lines),
        situations=list(breakdown.situations),
        consumption=breakdown.to_past(beneficiary.id, care.care_date).model_dump(mode="json"),
        status=status,
        payment_date=payment_date,
        # No transfer when the mutuelle pays nothing: no account is credited.
        bank_account_masked=bank_account_masked if breakdown.totals.mutual_cents else None,
        request_id=request_id,
    )
