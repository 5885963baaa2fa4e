"""Estimates and statements, and the API's views of reimbursements (stored as
domain.reimbursement defines them). Output models are built field by field from stored items
(see the logic modules): a field added to a stored item never reaches the member by
inheritance."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.reimbursement import (
    MAX_CENTS,
    STATUS_LABELS,
    CareFacts,
    ClaimItem,
    ClaimStatus,
    Practitioner,
    PractitionerIn,
)
from domain.split import ForfaitCounter, Line, Totals
from shared.inputs import Integer, IsoDate

__all__ = ["STATUS_LABELS", "ClaimItem", "ForfaitCounter", "Line", "Practitioner",
           "Totals"]


# ----------------------------------------------------------------------------- stored


class EstimateItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    created_at: str
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    category: str
    care_date: date
    price_cents: int
    quantity: int
    practitioner: PractitionerIn
    care_pathway: bool
    ald_related: bool = False
    work_accident: bool = False
    label: str | None = None
    lines: list[Line]
    totals: Totals
    situations: list[str] = []
    notes: list[str] = []


# ----------------------------------------------------------------------------- in


class EstimateIn(CareFacts):
    price_cents: Integer = Field(gt=0, le=MAX_CENTS)
    label: str | None = Field(default=None, max_length=120)


class PublicEstimateIn(CareFacts):
    """A care to estimate without an account (the tutorial's discovery mode): the formula and
    the person's birth date stand for a member's file. Nothing is read or stored."""
    formula_id: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    birth_date: IsoDate
    price_cents: Integer = Field(gt=0, le=MAX_CENTS)


class StatementExportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    date_from: IsoDate = Field(alias="from")
    date_to: IsoDate = Field(alias="to")
    beneficiary_ids: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list,
                                                                       max_length=20)
    format: Literal["pdf", "csv"] = "pdf"


# ----------------------------------------------------------------------------- out
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
    # Who paid, when the mutuelle paid nothing (« 0,00 € » alone reads as nothing paid).
    payer_note: str | None = None
    # A payment she has not seen yet (its notice is still there: « Nouveau »).
    new: bool = False


class DisputeOut(BaseModel):
    """Her report of a payment she does not recognise: a request, followed in « Mes
    demandes »."""

    id: str  # the request's id (« Mes demandes »)
    reference: str
    created_at: str


class ComparedLine(BaseModel):
    key: str
    label: str
    estimated_cents: int
    paid_cents: int
    difference_cents: int  # paid − estimated
    explanation: str


class EstimateComparison(BaseModel):
    """Her estimate of this care set beside what was paid, figure by figure."""

    estimate_id: str
    estimate_label: str | None
    estimated_on: date
    lines: list[ComparedLine]
    reasons: list[str]


class ClaimDetail(ClaimSummary):
    quantity: int
    practitioner: Practitioner | None
    care_pathway: bool
    base_cents: int
    deductibles_cents: int
    lines: list[Line]
    situations: list[str]
    bank_account_masked: str | None
    # Whether she may say she does not recognise this payment, and her report when made.
    can_dispute: bool = False
    dispute: DisputeOut | None = None
    estimate: EstimateComparison | None = None


class NoticesSeenIn(BaseModel):
    """The payments she has now seen; none named: all of them (« Marquer comme vus »)."""

    model_config = ConfigDict(extra="forbid")
    claim_ids: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,60}$")]] | None = Field(
        default=None, max_length=100)


class NoticesSeenOut(BaseModel):
    claim_ids: list[str]


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str | None = Field(default=None, max_length=2000)


class ActualPayment(BaseModel):
    claim_id: str
    care_date: date
    totals: Totals
    gap_explanation: list[str]


class EstimateOut(BaseModel):
    id: str
    created_at: str
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    category: str
    care_date: date
    price_cents: int
    quantity: int
    practitioner: PractitionerIn
    care_pathway: bool
    ald_related: bool
    work_accident: bool
    label: str | None
    lines: list[Line]
    totals: Totals
    situations: list[str]
    notes: list[str]
    actual: ActualPayment | None


class PublicEstimateOut(BaseModel):
    act_code: str
    act_label: str
    category: str
    care_date: date
    price_cents: int
    quantity: int
    lines: list[Line]
    totals: Totals
    situations: list[str]
    notes: list[str]


class ActOut(BaseModel):
    id: str
    code: str
    label: str
    category: str
    category_label: str
    needs_sector: bool


class StatementMonth(BaseModel):
    id: str
    period_start: date
    period_end: date
    label: str
    lines_count: int
    mutual_cents: int


class StatementExportOut(BaseModel):
    url: str
    filename: str
    expires_at: str
    lines_count: int


class CapCounter(BaseModel):
    paid_cents: int
    cap_cents: int


class BeneficiaryCounters(BaseModel):
    id: str
    beneficiary_name: str
    year: int
    participation: CapCounter
    franchises: CapCounter
    forfaits: list[ForfaitCounter]
    optics_next_date: date | None
    hearing_next_date: date | None


# ----------------------------------------------------------------------------- overpayments
class OverpaymentOut(BaseModel):
    """A trop-perçu: what the mutuelle paid too much on a reimbursement, and asks back."""

    id: str
    reference: str
    claim_id: str | None = None
    care_date: date | None = None
    care_label: str
    beneficiary_id: str
    beneficiary_name: str
    amount_cents: int
    remaining_cents: int
    reason: str
    due_date: date
    status: Literal["due", "paying", "paid", "instalments_requested", "contested", "cancelled"]
    status_label: str
    paid_on: date | None = None
    # Paid by card here (her receipt is in « Mes documents »), else settled by the mutuelle
    # itself (deducted from a later reimbursement, a transfer).
    paid_by_card: bool = False
    can_pay: bool
    can_request_instalments: bool
    can_contest: bool
    request_id: str | None = None  # her instalments or contest request (« Mes demandes »)
    instalments_months: int | None = None


class OverpaymentDetail(OverpaymentOut):
    claim_payment_date: date | None = None  # when the reimbursement corrected was paid
    claim_paid_cents: int | None = None  # what the mutuelle paid then
    bank_account_masked: str | None = None


class OverpaymentInstalmentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Checked by the rules (2 to 12, 422 with the reason) rather than here (400).
    months: int = Field(ge=0, le=999, description="Nombre de mensualités (2 à 12)")
    message: str | None = Field(default=None, max_length=2000)


class OverpaymentContestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(default="", max_length=2000,
                         description="Pourquoi vous contestez ce trop-perçu (obligatoire)")
    upload_ids: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list,
                                                                   max_length=5)


class OverpaymentRequestOut(BaseModel):
    """The request filed for the advisors (followed in « Mes demandes »)."""

    id: str
    reference: str
    created_at: str
    overpayment_status: str
