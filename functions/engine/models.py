"""Public input and output models of the engine (pydantic v2, JSON-serialisable)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from shared.split import ForfaitCounter, Line, LineKey, Totals

from .history import PastCare
from .money import add_days, add_months
from .rules import (
    AgeBase,
    Basket,
    Category,
    Correction,
    Forfait,
    FranchiseKind,
    Guarantee,
    RenewalKind,
)

Exemption = Literal["c2s", "ame", "pregnancy"]
Regime = Literal["general", "alsace_moselle"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CareInput(BaseModel):
    """One act of care as the member (or the health professional's bill) describes it.

    ``price_cents`` is the total charged for the whole quantity (e.g. 3 days, 2 boxes).
    ``optam=None`` with ``sector=2`` is treated as "not signed up to OPTAM" (the prudent
    estimate), and said so in the explanation.

    What only the member knows about this care: ``ald_related`` (the care is for her
    affection de longue durée), ``work_accident`` (the care follows a work accident or an
    occupational disease), ``sight_change`` (glasses renewed early after a change of sight
    shown by a prescription) and ``frame_misfit`` (a child under 6 whose frame no longer fits).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    act_code: str
    care_date: date
    price_cents: StrictInt
    quantity: StrictInt = 1
    sector: StrictInt | None = None
    optam: bool | None = None
    care_pathway: bool = True
    practitioner_id: str | None = None
    ald_related: bool = False
    work_accident: bool = False
    sight_change: bool = False
    frame_misfit: bool = False


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


class BeneficiaryFacts(_Frozen):
    """Who receives the care. ``exemptions`` is the former way of saying C2S, AME or
    pregnancy without dates (then true on every date); prefer ``situation``."""

    id: str
    birth_date: date
    exemptions: frozenset[Exemption] = frozenset()
    situation: Situation = Situation()


class Act(_Frozen):
    """An act of the catalogue as in force on one date."""

    code: str
    official_code: str | None
    aliases: list[str] = []  # former codes that still find this act
    label: str
    keywords: list[str]
    category: Category
    category_label: str
    base_cents: int | None  # None: the base is the price charged
    base_is_price: bool
    rate_percent: int
    out_of_pathway_rate_percent: int | None
    non_optam_base_cents: int | None
    age_bases: list[AgeBase]
    price_cap_cents: int | None  # 100 % Santé regulated price per unit
    participation: bool
    franchise: FranchiseKind | None
    needs_sector: bool
    care_pathway: bool
    basket: Basket | None
    renewal: RenewalKind | None
    heavy_act: bool
    direct_access: str | None = None  # specialist seen without referral (French label)
    correction: Correction | None = None  # class B glasses: correction class
    quantity_unit: str
    quantity_unit_plural: str
    max_quantity: int
    valid_from: date
    valid_to: date | None
    unconfirmed: bool
    unconfirmed_figures: list[str]
    source: str | None


class Formula(_Frozen):
    """A formula of the mutuelle as in force on one date."""

    id: str
    label: str
    description: str
    valid_from: date
    valid_to: date | None
    guarantees: dict[str, Guarantee]
    forfaits: dict[str, Forfait]






class Consumption(_Frozen):
    """What this care consumed: store it with the reimbursement (see ``to_past``)."""

    participation_cents: int = 0
    franchise_cents: int = 0
    franchise_kind: FranchiseKind | None = None
    forfait_key: str | None = None
    forfait_cents: int = 0
    renewal: RenewalKind | None = None
    optics_cents: int = 0  # class B glasses: paid by the mutuelle
    optics_cap_cents: int = 0  # class B glasses: ceiling brought by these lenses


class Breakdown(_Frozen):
    beneficiary_id: str
    care_date: date
    act_code: str
    act_label: str
    category: Category
    category_label: str
    quantity: int
    practitioner_id: str | None
    formula_id: str
    formula_label: str
    lines: list[Line]
    totals: Totals
    consumption: Consumption
    notes: list[str]  # extra French notes for the member (assumptions, 100 % Santé...)
    # Regime and situations applied to this care: "alsace_moselle", "ald", "maternity",
    # "newborn", "c2s", "ame", "work_accident" (empty: régime général, nothing special).
    situations: list[str] = []
    unconfirmed: bool  # some figure used is marked unconfirmed in the rules

    def line(self, key: LineKey) -> Line:
        return next(line for line in self.lines if line.key == key)

    def to_past(self, beneficiary_id: str | None = None, care_date: date | None = None) -> PastCare:
        c = self.consumption
        return PastCare(
            beneficiary_id=beneficiary_id or self.beneficiary_id,
            care_date=care_date or self.care_date,
            act_code=self.act_code,
            practitioner_id=self.practitioner_id,
            participation_cents=c.participation_cents,
            franchise_cents=c.franchise_cents,
            franchise_kind=c.franchise_kind,
            forfait_key=c.forfait_key,
            forfait_cents=c.forfait_cents,
            renewal=c.renewal,
            optics_cents=c.optics_cents,
            optics_cap_cents=c.optics_cap_cents,
        )




class Counters(_Frozen):
    beneficiary_id: str
    formula_id: str
    year: int
    as_of: date
    participation_paid_cents: int
    participation_cap_cents: int
    franchise_paid_cents: int
    franchise_cap_cents: int
    forfaits: list[ForfaitCounter]
    optics_last_date: date | None
    optics_next_date: date | None  # None: never bought
    optics_renewal_label: str
    hearing_last_date: date | None
    hearing_next_date: date | None
    hearing_renewal_label: str
