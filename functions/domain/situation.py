"""The beneficiary's regime and situations, facts of the member's file with their dates: they
change how the Sécurité sociale and the mutuelle pay (see the engine). Stored with each
beneficiary, read by the engine, shown on her contract page."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.dates import add_days, add_months

Regime = Literal["general", "alsace_moselle"]
REGIME_LABELS = {"general": "Régime général",
                 "alsace_moselle": "Régime local d'Alsace-Moselle"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Period(_Frozen):
    """From ``start`` to ``end``, both included; ``end=None``: still running."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self


class Ald(Period):
    """An affection de longue durée recognised by the Sécurité sociale (exonération du ticket
    modérateur), with its validity. ``label`` is said back to the member."""

    label: str = Field(min_length=1)


class Pregnancy(_Frozen):
    """One pregnancy, as on the déclaration de grossesse. Give ``start_date`` (début de
    grossesse) or ``expected_birth_date`` (date présumée d'accouchement), and ``birth_date`` once
    the child is born. The maternity cover runs from the first day of the 6th month to 12 days
    after the birth (the expected one until the real one is known)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    start_date: date | None = None
    expected_birth_date: date | None = None
    birth_date: date | None = None

    @model_validator(mode="after")
    def _dated(self) -> Pregnancy:
        if self.start_date is None and self.expected_birth_date is None and self.birth_date is None:
            raise ValueError("give start_date, expected_birth_date or birth_date")
        return self

    def maternity_period(self) -> Period:
        if self.start_date is not None:
            start = add_months(self.start_date, 5)
        else:
            born = self.expected_birth_date or self.birth_date
            assert born is not None
            start = add_months(born, -4)
        end_from = self.birth_date or self.expected_birth_date or add_months(start, 4)
        return Period(start=start, end=max(start, add_days(end_from, 12)))


class Situation(_Frozen):
    """The beneficiary's regime and situations, facts of her file with their dates.

    ``regime``: ``general`` or ``alsace_moselle`` (régime local d'Alsace-Moselle).
    ``ald``: her affections de longue durée. ``c2s`` / ``ame``: periods of Complémentaire
    santé solidaire / Aide médicale de l'État. ``pregnancies``: see ``Pregnancy``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    regime: Regime = "general"
    ald: tuple[Ald, ...] = ()
    c2s: tuple[Period, ...] = ()
    ame: tuple[Period, ...] = ()
    pregnancies: tuple[Pregnancy, ...] = ()

    def ald_on(self, day: date) -> list[Ald]:
        return [a for a in self.ald if a.covers(day)]


