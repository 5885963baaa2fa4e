"""Public input and output models of the engine (pydantic v2, JSON-serialisable)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictInt

from domain.situation import Situation
from domain.split import ForfaitCounter, Line, LineKey, Totals

from .history import PastCare
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

    @classmethod
    def of(cls, care: Any, price_cents: int, practitioner_id: str | None = None) -> CareInput:
        """The engine's input for a care as the product describes it (an estimate's or a
        request's care: `act_code`, `care_date`, `quantity`, `practitioner.sector/optam`,
        `care_pathway` and the member's flags). One builder, so that an estimate and the
        payment of the same care on the same history always agree."""
        return cls(act_code=care.act_code, care_date=care.care_date, price_cents=price_cents,
                   quantity=care.quantity, sector=care.practitioner.sector,
                   optam=care.practitioner.optam, care_pathway=care.care_pathway,
                   practitioner_id=practitioner_id, ald_related=care.ald_related,
                   work_accident=care.work_accident, sight_change=care.sight_change,
                   frame_misfit=care.frame_misfit)


class BeneficiaryFacts(_Frozen):
    """Who receives the care. ``exemptions`` is the former way of saying C2S, AME or
    pregnancy without dates (then true on every date); prefer ``situation``."""

    id: str
    birth_date: date
    exemptions: frozenset[Exemption] = frozenset()
    situation: Situation = Situation()

    @classmethod
    def of(cls, beneficiary: Any) -> BeneficiaryFacts:
        """The facts of a beneficiary of the member's file (`id`, `birth_date`,
        `situation`)."""
        return cls(id=beneficiary.id, birth_date=beneficiary.birth_date,
                   situation=beneficiary.situation)


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
    capped_by: str | None = None  # the ceiling that lowered the mutuelle's part, in words
    # Regime and situations applied to this care: "alsace_moselle", "ald", "maternity",
    # "newborn", "c2s", "ame", "work_accident" (empty: régime général, nothing special).
    situations: list[str] = []
    unconfirmed: bool  # some figure used is marked unconfirmed in the rules
    # The day whose rules were applied: the care date, or the last day the rules are known for
    # when the care is later (the figure is then said to rest on those rules, in `notes`).
    rules_date: date

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
