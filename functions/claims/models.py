"""Reimbursements (décomptes), estimates, requests and statements: what is stored, what comes
in, and what goes out. Output models are built field by field from stored items (see the
logic modules): a field added to a stored item never reaches the member by inheritance."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from shared.inputs import Integer, IsoDate
from shared.split import ForfaitCounter, Line, Totals
from shared.uploads import UploadOut, UploadStatus

__all__ = ["ForfaitCounter", "Line", "Totals"]

ClaimStatus = Literal["paid", "processing", "rejected"]
STATUS_LABELS = {"paid": "Payé", "processing": "En cours de traitement", "rejected": "Refusé"}
MAX_CENTS = 10_000_000  # €100,000: beyond, the amount is surely a typing mistake


class Practitioner(BaseModel):
    name: str | None = None
    specialty: str | None = None
    sector: Literal[1, 2] | None = None
    optam: bool | None = None


# ----------------------------------------------------------------------------- stored
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


Sector = Annotated[Integer, Field(ge=1, le=2, description="Secteur conventionnel : 1 ou 2")]


class PractitionerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sector: Sector = 1
    optam: StrictBool = True


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


RequestStatus = Literal["received", "in_review", "processed", "rejected"]
REQUEST_STATUS_LABELS = {"received": "Reçue", "in_review": "En cours d'examen",
                         "processed": "Traitée : remboursement calculé", "rejected": "Refusée"}


class StatusChange(BaseModel):
    status: RequestStatus
    at: str
    note: str | None = None


class AttachedDocument(BaseModel):
    id: str
    status: UploadStatus
    filename: str
    size: int | None
    content_type: str


class ReimbursementRequestItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    reference: str
    created_at: str
    status: RequestStatus
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    care_date: date
    amount_cents: int
    quantity: int = 1
    practitioner: PractitionerIn
    care_pathway: bool
    ald_related: bool = False
    work_accident: bool = False
    sight_change: bool = False
    frame_misfit: bool = False
    comment: str | None = None
    documents: list[AttachedDocument]
    history: list[StatusChange]
    claim_id: str | None = None


# ----------------------------------------------------------------------------- in
class CareIn(BaseModel):
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


class EstimateIn(CareIn):
    price_cents: Integer = Field(gt=0, le=MAX_CENTS)
    label: str | None = Field(default=None, max_length=120)


class ReimbursementRequestIn(CareIn):
    amount_cents: Integer = Field(gt=0, le=MAX_CENTS)
    upload_ids: list[Annotated[str, Field(max_length=60)]] = Field(min_length=1, max_length=5)
    comment: str | None = Field(default=None, max_length=1000)


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


class ClaimDetail(ClaimSummary):
    quantity: int
    practitioner: Practitioner | None
    care_pathway: bool
    base_cents: int
    deductibles_cents: int
    lines: list[Line]
    situations: list[str]
    bank_account_masked: str | None


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


class ActOut(BaseModel):
    id: str
    code: str
    label: str
    category: str
    category_label: str
    needs_sector: bool


class ReimbursementRequestOut(BaseModel):
    id: str
    reference: str
    created_at: str
    status: RequestStatus
    status_label: str
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    care_date: date
    amount_cents: int
    quantity: int
    practitioner: PractitionerIn
    care_pathway: bool
    comment: str | None
    documents: list[UploadOut]
    history: list[StatusChange]
    claim_id: str | None


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
