"""Member profile and beneficiaries: stored items and API output, kept apart."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

Relationship = Literal["member", "spouse", "child", "other"]
RELATIONSHIP_LABELS = {"member": "Adhérent(e)", "spouse": "Conjoint(e)", "child": "Enfant",
                       "other": "Autre ayant droit"}


class BeneficiaryItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    first_name: str
    last_name: str
    birth_date: date
    rank: str
    relationship: Relationship


class ProfileItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    member_id: str
    first_name: str
    last_name: str
    email: str
    version: int = 1


class ContractItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    formula_id: str
    formula_label: str
    start_date: date
    end_date: date | None = None


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
