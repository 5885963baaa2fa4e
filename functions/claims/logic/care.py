"""The engine's view of a member's care: her beneficiary's facts, the care she describes, and
what that beneficiary already consumed. One builder for estimates, requests and processing,
so the same care on the same history always gives the same figures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from claims import repository
from claims.models import CareIn, ClaimItem, ReimbursementRequestItem
from shared.membership import Beneficiary

if TYPE_CHECKING:  # the engine is imported when a care is computed, not at cold start
    from engine import BeneficiaryFacts, CareInput, History

HISTORY_YEARS = 4  # renewal periods of glasses and hearing aids reach back that far


def engine_facts(b: Beneficiary) -> BeneficiaryFacts:
    from engine import BeneficiaryFacts

    return BeneficiaryFacts(id=b.id, birth_date=b.birth_date, situation=b.situation)


def care_input(care: CareIn | ReimbursementRequestItem, price_cents: int,
               practitioner_id: str | None = None) -> CareInput:
    from engine import CareInput

    return CareInput(act_code=care.act_code, care_date=care.care_date, price_cents=price_cents,
                     quantity=care.quantity, sector=care.practitioner.sector,
                     optam=care.practitioner.optam, care_pathway=care.care_pathway,
                     practitioner_id=practitioner_id, ald_related=care.ald_related,
                     work_accident=care.work_accident, sight_change=care.sight_change,
                     frame_misfit=care.frame_misfit)


def history_from_claims(claims: Iterable[ClaimItem], beneficiary_id: str, on: date) -> History:
    from engine import History, PastCare

    past = [PastCare.model_validate(c.consumption) for c in claims
            if c.beneficiary_id == beneficiary_id and c.consumption and c.status != "rejected"]
    return History.from_past(past, beneficiary_id=beneficiary_id, on=on)


def history_start(on: date) -> date:
    return date(on.year - HISTORY_YEARS, 1, 1)


def history_for(member_pk: str, beneficiary_id: str, on: date) -> History:
    """What the beneficiary already consumed: this year's caps and forfaits, and the last
    glasses or hearing aids."""
    past = repository.claims_of_beneficiary(member_pk, beneficiary_id,
                                            history_start(on), on)
    return history_from_claims(past, beneficiary_id, on)
