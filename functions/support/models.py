"""Requests (demandes) as members send and follow them, and as advisors process them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.inputs import Integer
from shared.reimbursement import MAX_CENTS, CareFacts
from shared.requests import Category, Deadlines, Status
from shared.split import Line, Totals
from shared.uploads import UploadOut

Text = Annotated[str, Field(min_length=1, max_length=2000)]
UploadIds = list[Annotated[str, Field(max_length=60)]]


# ----------------------------------------------------------------------------- in
class ReimbursementRequestIn(CareFacts):
    """« Demander un remboursement »: the care, what was paid, the invoice."""

    amount_cents: Integer = Field(gt=0, le=MAX_CENTS)
    upload_ids: UploadIds = Field(min_length=1, max_length=5)
    comment: str | None = Field(default=None, max_length=1000)


class OtherRequestIn(BaseModel):
    """« Faire une autre demande »: a category, a subject, a message, documents."""

    model_config = ConfigDict(extra="forbid")
    category: Category
    subject: str = Field(min_length=3, max_length=120)
    message: Text
    beneficiary_id: str | None = Field(default=None, max_length=40)
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)


class AnswerIn(BaseModel):
    """The member's answer when information is needed."""

    model_config = ConfigDict(extra="forbid")
    message: Text
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)


class ActionIn(BaseModel):
    """An advisor's action, on the version of the request she read (optimistic locking)."""

    model_config = ConfigDict(extra="forbid")
    version: Integer = Field(ge=1)
    message: str | None = Field(default=None, max_length=2000)


# ----------------------------------------------------------------------------- out
class Detail(BaseModel):
    label: str
    value: str


class EventOut(BaseModel):
    at: str
    who: str
    action: str
    status: Status
    status_label: str
    message: str | None
    attachments: list[UploadOut]
    visible_to_member: bool


class RequestSummary(BaseModel):
    id: str
    reference: str
    kind: str
    kind_label: str
    category: str | None
    category_label: str | None
    subject: str
    status: Status
    status_label: str
    created_at: str
    updated_at: str
    beneficiary_name: str | None
    unread: bool


class RequestOut(RequestSummary):
    message: str | None
    details: list[Detail]
    attachments: list[UploadOut]
    history: list[EventOut]
    deadlines: Deadlines | None
    claim_id: str | None  # the reimbursement accepting it made
    can_answer: bool
    version: int


class KindOut(BaseModel):
    kind: str
    label: str
    documents: str
    min_documents: int
    max_documents: int
    categories: list[Detail]  # value = the category's code, label its French name


# ----------------------------------------------------------------------------- advisors
class QueueItem(BaseModel):
    ref: str  # <member id>_<request id>: how advisors name a request
    reference: str
    kind: str
    kind_label: str
    category_label: str | None
    subject: str
    status: Status
    status_label: str
    created_at: str
    age_days: int
    member_name: str
    assigned_name: str | None
    mine: bool
    deadline: date | None


class BeneficiaryContext(BaseModel):
    id: str
    name: str
    relationship_label: str
    age: int
    situations: list[str]


class MemberContext(BaseModel):
    member_id: str
    name: str
    formula_label: str | None
    contract_start: date | None
    beneficiaries: list[BeneficiaryContext]
    recent_requests: list[RequestSummary]


class Split(BaseModel):
    """The engine's split for the care the member described, on her history today."""

    totals: Totals
    lines: list[Line]
    situations: list[str]
    notes: list[str]


class AdvisorRequestOut(RequestOut):
    ref: str
    team: str
    assigned_name: str | None
    mine: bool
    allowed: list[Literal["take", "ask", "accept", "refuse"]]
    accept_effect: str
    member: MemberContext
    split: Split | None
    split_problem: str | None
