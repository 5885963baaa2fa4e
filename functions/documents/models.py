"""Inputs, stored items and outputs of « Mes documents » and « Mes attestations » (outputs built
field by field from stored items)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

AttestationStatus = Literal["valid", "revoked", "expired"]


# ----------------------------------------------------------------------------- stored
class AttestationItem(BaseModel):
    """As stored under MEMBER#<id> / ATTEST#<created>#<id>."""

    model_config = ConfigDict(extra="ignore")
    id: str  # A<created>-<hex>
    created_at: str
    code: str  # the verification code, canonical (20 characters, no separators)
    document_id: str
    contract_id: str
    beneficiary_id: str | None = None  # an attestation for one beneficiary only
    scope_label: str  # « Toute la famille », « Inès Lambert »
    initials: list[str]  # what the public check may say of the people it covers
    valid_from: date
    valid_until: date
    status: Literal["issued", "revoked"] = "issued"
    revoked_at: str | None = None


class AttestationCheckItem(BaseModel):
    """As stored under ATTCHECK#<code> / ATTCHECK: what the public check reads, and only
    that (plus the member, to know whether her contract still runs)."""

    model_config = ConfigDict(extra="ignore")
    member_id: str
    attestation_id: str
    contract_id: str
    initials: list[str]
    issued_on: date
    valid_until: date
    revoked: bool = False


# ----------------------------------------------------------------------------- in
class AttestationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    beneficiary_id: Annotated[str | None, Field(
        default=None, max_length=40,
        description="Pour une attestation au nom d'un seul bénéficiaire ; absent : toute la "
                    "famille")] = None


# ----------------------------------------------------------------------------- out
class DocumentOut(BaseModel):
    id: str
    kind: str
    kind_label: str  # « Relevé de prestations »
    title: str
    created_at: str
    date: date
    year: int
    beneficiary_id: str | None
    beneficiary_name: str | None  # None: the whole family (or nobody in particular)
    size: int | None
    content_type: str
    format: str  # « PDF », « CSV », « JPEG », « PNG »


class Choice(BaseModel):
    value: str
    label: str


class DocumentFilters(BaseModel):
    """What the filters of « Mes documents » can offer: only values some document has."""

    years: list[int]
    kinds: list[Choice]
    beneficiaries: list[Choice]
    total: int


class FileLink(BaseModel):
    url: str
    filename: str
    expires_at: str


class AttestationOut(BaseModel):
    id: str
    code: str  # as printed: « K7QM-2XHD-9RTC-4WVB-P3NA »
    status: AttestationStatus
    status_label: str  # « Valide », « Révoquée », « Expirée »
    issued_at: str
    valid_from: date
    valid_until: date
    scope_label: str
    beneficiary_id: str | None
    document_id: str
    check_url: str
    revoked_at: str | None
    can_revoke: bool


class AttestationCreated(BaseModel):
    attestation: AttestationOut
    document: DocumentOut
    link: FileLink


class AttestationCheckOut(BaseModel):
    """What anyone holding the code learns: valid or not (and why), for whom in initials,
    issued on, valid until. Nothing else."""

    code: str
    valid: bool
    status: AttestationStatus
    status_label: str
    message: str
    holders: list[str]  # « F. L. »
    issued_on: date
    valid_until: date
    checked_on: date
