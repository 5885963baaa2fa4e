"""Reimbursements (décomptes): the stored item and the API shapes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

ClaimStatus = Literal["paid", "processing", "rejected"]
STATUS_LABELS = {"paid": "Payé", "processing": "En cours de traitement", "rejected": "Refusé"}


class Practitioner(BaseModel):
    name: str | None = None
    specialty: str | None = None
    sector: Literal[1, 2] | None = None
    optam: bool | None = None


class FigureLine(BaseModel):
    key: str
    label: str
    amount_cents: int
    explanation: str


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
    lines: list[FigureLine] = []
    consumption: dict = {}
    status: ClaimStatus
    payment_date: date | None = None
    bank_account_masked: str | None = None
    request_id: str | None = None


class ClaimSummary(BaseModel):
    id: str
    care_date: date
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    category: str
    category_label: str
    real_cost_cents: int
    social_security_cents: int
    mutual_cents: int
    out_of_pocket_cents: int
    status: ClaimStatus
    status_label: str
    payment_date: date | None


class ClaimDetail(ClaimSummary):
    quantity: int
    practitioner: Practitioner | None
    care_pathway: bool
    base_cents: int
    deductibles_cents: int
    lines: list[FigureLine]
    bank_account_masked: str | None


class ClaimPage(BaseModel):
    items: list[ClaimSummary]
    next: str | None
