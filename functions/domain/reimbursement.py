"""Reimbursements (décomptes) as every function sees them: the care a member describes, the
stored reimbursement, and the reads that rebuild what a beneficiary already consumed.

Claims reads and estimates them, support creates them when a request is accepted, documents
prints them: their shape is defined once, here. The engine computes them (callers pass these
models to `engine.CareInput.of`, `engine.BeneficiaryFacts.of`, `engine.History.from_stored`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from domain import repository
from domain.split import Line
from shared.inputs import Integer, IsoDate

ClaimStatus = Literal["paid", "processing", "rejected"]
STATUS_LABELS = {"paid": "Payé", "processing": "En cours de traitement", "rejected": "Refusé"}
MAX_CENTS = 10_000_000  # €100,000: beyond, the amount is surely a typing mistake
HISTORY_YEARS = 4  # renewal periods of glasses and hearing aids reach back that far
CLAIM_ID = re.compile(r"^C(\d{8})-[0-9a-f]{8}$")
BENEF_INDEX = repository.BENEF_INDEX

Sector = Annotated[Integer, Field(ge=1, le=2, description="Secteur conventionnel : 1 ou 2")]


class Practitioner(BaseModel):
    name: str | None = None
    specialty: str | None = None
    sector: Literal[1, 2] | None = None
    optam: bool | None = None


class PractitionerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sector: Sector = 1
    # None: she does not know (« Je ne sais pas »); the engine assumes the less favourable
    # case and says so, and her request shows what she answered.
    optam: StrictBool | None = True


class CareFacts(BaseModel):
    """The care a member describes, for an estimate or a reimbursement request."""

    model_config = ConfigDict(extra="forbid")
    beneficiary_id: str = Field(min_length=1, max_length=40)
    act_code: str = Field(min_length=1, max_length=20)
    care_date: IsoDate
    quantity: Integer = Field(default=1, ge=1, le=365)
    practitioner: PractitionerIn = PractitionerIn()
    care_pathway: StrictBool = True
    # What only the member knows about this care (the engine checks them against her file).
    ald_related: StrictBool = False
    work_accident: StrictBool = False
    sight_change: StrictBool = False
    frame_misfit: StrictBool = False


class ClaimItem(BaseModel):
    """As stored under MEMBER#<id> / CLAIM#<care date>#<id>."""

    model_config = ConfigDict(extra="ignore")
    id: str
    care_date: date
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    category: str
    category_label: str
    quantity: int = 1
    practitioner: Practitioner | None = None
    care_pathway: bool = True
    real_cost_cents: int
    base_cents: int
    social_security_cents: int
    deductibles_cents: int
    mutual_cents: int
    out_of_pocket_cents: int
    ticket_moderateur_cents: int
    lines: list[Line] = []
    situations: list[str] = []  # regimes and situations the engine applied
    consumption: dict = {}
    status: ClaimStatus
    payment_date: date | None = None
    bank_account_masked: str | None = None
    request_id: str | None = None


def claim_sk(claim_id: str, care_date: date) -> str:
    return f"CLAIM#{care_date.isoformat()}#{claim_id}"


def care_date_of(claim_id: str) -> date | None:
    """Claim ids carry their care date (C20261126-…), so a GetItem finds them."""
    match = CLAIM_ID.match(claim_id)
    if not match:
        return None
    raw = match.group(1)
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def claim_to_item(member_pk: str, claim: ClaimItem) -> dict:
    item = claim.model_dump(mode="json")
    item.update(pk=member_pk, sk=claim_sk(claim.id, claim.care_date), type="claim",
                gsi1pk=f"{member_pk}#BENEF#{claim.beneficiary_id}",
                gsi1sk=claim_sk(claim.id, claim.care_date))
    return item


def get_claim(member_pk: str, claim_id: str) -> ClaimItem | None:
    care_date = care_date_of(claim_id)
    if care_date is None:
        return None
    item = repository.claim(member_pk, claim_sk(claim_id, care_date))
    return ClaimItem.model_validate(item) if item else None


def claims_between(member_pk: str, date_from: date, date_to: date) -> list[ClaimItem]:
    items = repository.claims_between(member_pk, date_from, date_to)
    return [ClaimItem.model_validate(i) for i in items]


def claims_of_beneficiary(member_pk: str, beneficiary_id: str, date_from: date,
                          date_to: date) -> list[ClaimItem]:
    items = repository.claims_of_beneficiary(member_pk, beneficiary_id, date_from,
                                             date_to)
    return [ClaimItem.model_validate(i) for i in items]


def history_start(on: date) -> date:
    return date(on.year - HISTORY_YEARS, 1, 1)


def consumptions(claims: Iterable[ClaimItem], beneficiary_id: str) -> list[dict]:
    """What the beneficiary's reimbursements consumed (for `engine.History.from_stored`)."""
    return [c.consumption for c in claims
            if c.beneficiary_id == beneficiary_id and c.consumption and c.status != "rejected"]


def past_consumptions(member_pk: str, beneficiary_id: str, on: date) -> list[dict]:
    """This year's caps and forfaits and the last glasses or hearing aids, in one Query."""
    return consumptions(claims_of_beneficiary(member_pk, beneficiary_id, history_start(on), on),
                        beneficiary_id)
