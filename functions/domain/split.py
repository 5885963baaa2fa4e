"""The figures of a split (who pays what for one act of care), as the engine computes them and
as reimbursements and estimates store and show them: defined once, here."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

LineKey = Literal["real_cost", "base", "social_security", "deductibles", "mutual", "out_of_pocket"]


class Line(BaseModel):
    """One figure of a split, with its French explanation."""

    model_config = ConfigDict(frozen=True, from_attributes=True)
    key: LineKey
    label: str
    amount_cents: int
    explanation: str


class Totals(BaseModel):
    """The figures of a split, read off anything that has them (a result, a reimbursement)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)
    real_cost_cents: int
    base_cents: int
    social_security_cents: int  # after participation forfaitaire / franchise
    deductibles_cents: int
    mutual_cents: int
    out_of_pocket_cents: int
    ticket_moderateur_cents: int  # base − Sécurité sociale part before deductibles


class ForfaitCounter(BaseModel):
    """What is left of a yearly (or multi-year) forfait of the formula."""

    model_config = ConfigDict(frozen=True)
    key: str
    label: str
    period_label: str
    limit_cents: int
    used_cents: int
    left_cents: int
    period_start: date | None  # None: no period running (nothing used yet)
    period_end: date | None
