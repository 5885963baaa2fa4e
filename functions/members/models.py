"""What the member space shows about the member herself."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, StrictBool

from shared.membership import Relationship


class LogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    everywhere: StrictBool = False


class BeneficiaryOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    birth_date: date
    rank: str
    relationship: Relationship
    relationship_label: str


class FormulaOut(BaseModel):
    id: str
    label: str


class MeOut(BaseModel):
    id: str
    member_number: str
    display_name: str
    first_name: str
    last_name: str
    email: str
    formula: FormulaOut | None
    beneficiaries: list[BeneficiaryOut]
