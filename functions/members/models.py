"""What the member space shows about the member herself."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, StrictBool

from shared.membership import Relationship


class LogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    everywhere: StrictBool = False


class PeriodOut(BaseModel):
    start: date
    end: date | None


class AldOut(PeriodOut):
    label: str


class SituationOut(BaseModel):
    """Her regime and the situations on file that change her reimbursements."""

    regime: str
    regime_label: str
    ald: list[AldOut]  # in force today or later
    c2s: PeriodOut | None  # the period in force today, if any
    ame: PeriodOut | None
    maternity: PeriodOut | None  # the maternity cover in force today or to come


class BeneficiaryOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    birth_date: date
    rank: str
    relationship: Relationship
    relationship_label: str
    situation: SituationOut


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
