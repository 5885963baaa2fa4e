"""Dated rules: pydantic models of the JSON files under ``rules/`` and their loader.

Every figure that changes over time is data with ``valid_from`` / ``valid_to`` (both
inclusive); the care date picks the version in force. Files are read once, lazily.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from .errors import RulesDataError

RULES_DIR = Path(__file__).resolve().parent / "rules"

Category = Literal[
    "consultation_gp",
    "consultation_specialist",
    "pharmacy",
    "lab",
    "dental_care",
    "dental_prosthesis",
    "optics",
    "hearing",
    "hospital",
    "paramedical",
    "transport",
    "alternative_medicine",
    "imaging",
    "midwife",
    "mental_health",
    "vaccination",
]
FranchiseKind = Literal["box", "paramedical", "transport"]
# What a regime or situation changes the rate of (see ``rate_group``).
RateGroup = Literal[
    "doctor",
    "midwife",
    "hospital",
    "daily_charge",
    "emergency_charge",
    "flat_charge",
    "medicine_100",
    "medicine_65",
    "medicine_30",
    "medicine_15",
    "lab",
    "paramedical",
    "dental_care",
    "dental_prosthesis",
    "optics",
    "hearing",
    "transport",
    "device",
    "none",
]
Effect = Literal[
    "rate",
    "participation",
    "franchise",
    "daily_charge",
    "emergency",
    "emergency_reduced",
    "heavy_flat",
    "sante_100",
    "no_extra_fees",
]
RenewalKind = Literal["optics", "hearing"]
Basket = Literal["100_sante", "maitrise", "libre"]
Correction = Literal["simple", "complex", "very_complex"]
Cents = StrictInt
Percent = StrictInt


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Dated(_Frozen):
    valid_from: date
    valid_to: date | None = None
    unconfirmed: bool = False
    source: str | None = None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @model_validator(mode="after")
    def _ordered(self) -> Dated:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


D = TypeVar("D", bound=Dated)


def pick(versions: Sequence[D], on: date) -> D | None:
    for version in versions:
        if version.in_force(on):
            return version
    return None


def latest(versions: Sequence[D]) -> D:
    return max(versions, key=lambda v: v.valid_from)


def _check_no_overlap(versions: Sequence[Dated], what: str) -> None:
    ordered = sorted(versions, key=lambda v: v.valid_from)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.valid_to is None or before.valid_to >= after.valid_from:
            raise ValueError(f"{what}: versions overlap around {after.valid_from}")


# --- acts.json -----------------------------------------------------------------------------


class AgeBase(_Frozen):
    """Base (and 100 % Santé cap) for beneficiaries younger than ``under_age``."""

    under_age: int
    base_cents: Cents
    price_cap_cents: Cents | None = None
    label: str  # e.g. « enfant de moins de 6 ans »
    note: str | None = None


class AgeRate(_Frozen):
    """Sécurité sociale rate for beneficiaries younger than ``under_age``."""

    under_age: int
    rate_percent: Percent = Field(ge=0, le=100)
    label: str


class DirectAccess(_Frozen):
    """Specialists consulted without a referral, still in the care pathway (accès direct)."""

    label: str  # French: « gynécologue »
    min_age: int | None = None
    max_age: int | None = None  # included

    def applies(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


class ActVersion(Dated):
    base_cents: Cents | None = None  # None: the base is the price charged (pharmacy, lab...)
    rate_percent: Percent = Field(ge=0, le=100)
    out_of_pathway_rate_percent: Percent | None = None
    non_optam_base_cents: Cents | None = None
    age_bases: tuple[AgeBase, ...] = ()
    price_cap_cents: Cents | None = None  # 100 % Santé regulated price per unit
    threshold_cents: Cents | None = None  # heavy act flat charge: applies from this base
    reduced_base_cents: Cents | None = None  # emergency flat charge at the reduced amount
    age_rates: tuple[AgeRate, ...] = ()
    # Majoration de coordination included in the base, due only within the care pathway.
    coordination_cents: Cents | None = None
    base_note: str | None = None  # French: where the base comes from
    # Figures of this version still to confirm, when not the whole version is (unconfirmed).
    unconfirmed_figures: tuple[
        Literal["base", "non_optam_base", "age_bases", "price_cap", "rate", "reduced_base"], ...
    ] = ()

    @model_validator(mode="after")
    def _ages_sorted(self) -> ActVersion:
        ages = [a.under_age for a in self.age_bases]
        if ages != sorted(ages):
            raise ValueError("age_bases must be sorted by under_age")
        return self


class ActDef(_Frozen):
    code: str
    official_code: str | None = None
    aliases: tuple[str, ...] = ()  # former codes still accepted (stored data, old CCAM codes)
    label: str
    keywords: tuple[str, ...] = ()
    category: Category
    guarantee: str
    participation: bool = False
    franchise: FranchiseKind | None = None
    needs_sector: bool = False
    care_pathway: bool = False
    basket: Basket | None = None
    renewal: RenewalKind | None = None
    heavy_act_flat_code: str | None = None
    rate_group: RateGroup | None = None  # None: from the category (see ``rate_group``)
    direct_access: DirectAccess | None = None
    correction: Correction | None = None  # class B optics: correction class of the lenses
    lenses_per_unit: int = Field(default=1, ge=1)  # 2 for a whole pair of glasses
    extra_fees: bool | None = None  # dépassements possible (None: when the act needs a sector)
    regulatory_mutual_cap: str | None = None
    regulatory_total_cap: str | None = None
    quantity_unit: tuple[str, str] = ("acte", "actes")
    max_quantity: int = Field(default=1, ge=1)
    unconfirmed: bool = False
    source: str | None = None
    versions: tuple[ActVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions(self) -> ActDef:
        _check_no_overlap(self.versions, f"act {self.code}")
        if self.basket == "100_sante" and any(v.price_cap_cents is None for v in self.versions):
            raise ValueError(f"act {self.code}: 100 % Santé needs price_cap_cents")
        return self


class ActsFile(_Frozen):
    rules_start: date
    known_until: date
    max_price_cents: Cents
    categories: dict[Category, str]
    acts: tuple[ActDef, ...]
    note: str | None = None


# --- deductibles.json ----------------------------------------------------------------------


class ParticipationVersion(Dated):
    amount_cents: Cents
    daily_cap_cents_per_practitioner: Cents
    yearly_cap_cents: Cents


class FranchiseVersion(Dated):
    box_cents: Cents
    paramedical_cents: Cents
    paramedical_daily_cap_cents: Cents
    transport_cents: Cents
    transport_daily_cap_cents: Cents
    yearly_cap_cents: Cents
    unconfirmed_figures: tuple[
        Literal["paramedical_daily_cap", "transport_daily_cap", "valid_from"], ...
    ] = ()


class ExemptionDef(_Frozen):
    code: Literal["under_18", "pregnancy", "c2s", "ame"]
    label: str
    applies_to: tuple[Literal["participation", "franchise"], ...]
    # The age that counts (minors): on the care date, or on 1 January of the year of care.
    age_on: Literal["care_date", "january_first"] = "care_date"
    source: str | None = None


class DeductiblesFile(_Frozen):
    participation_forfaitaire: tuple[ParticipationVersion, ...]
    franchises: tuple[FranchiseVersion, ...]
    exemptions: tuple[ExemptionDef, ...]
    note: str | None = None

    @model_validator(mode="after")
    def _versions(self) -> DeductiblesFile:
        _check_no_overlap(self.participation_forfaitaire, "participation_forfaitaire")
        _check_no_overlap(self.franchises, "franchises")
        return self


# --- formulas.json -------------------------------------------------------------------------


class Guarantee(_Frozen):
    """One line of a formula's table of guarantees."""

    label: str
    percent: Percent = 0  # % of the base, Sécurité sociale included (sector 1 / OPTAM)
    percent_non_optam: Percent | None = None  # sector 2 doctors not signed up to OPTAM
    sante_100: bool = False  # 100 % Santé basket: paid up to the regulated price
    forfait: str | None = None  # euro allowance used on top of the percentage
    per_unit_cap_cents: Cents | None = None  # e.g. at most X € per session


class Forfait(_Frozen):
    label: str
    amount_cents: Cents
    period_months: int | None = None  # None: per calendar year
    period_label: str  # « par année civile », « tous les 2 ans »...


class FormulaVersion(Dated):
    guarantees: dict[str, Guarantee]
    forfaits: dict[str, Forfait] = {}

    @model_validator(mode="after")
    def _forfaits_exist(self) -> FormulaVersion:
        for key, guarantee in self.guarantees.items():
            if guarantee.forfait is not None and guarantee.forfait not in self.forfaits:
                raise ValueError(f"guarantee {key}: unknown forfait {guarantee.forfait}")
        return self


class FormulaDef(_Frozen):
    id: str
    label: str
    description: str
    order: int = 0
    versions: tuple[FormulaVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions(self) -> FormulaDef:
        _check_no_overlap(self.versions, f"formula {self.id}")
        return self


class Cap(_Frozen):
    label: str  # French, used in explanations
    amount_cents: Cents
    unconfirmed: bool = False
    source: str | None = None


class ContratResponsableVersion(Dated):
    non_optam_max_percent: Percent
    non_optam_min_gap_points: Percent
    # Class B glasses: most the mutuelle may pay per equipment (frame included) is the sum of
    # the two lenses' shares (simple 210 € + simple 210 € = 420 €...).
    optics_lens_share_cents: dict[Correction, Cents] = {}
    optics_correction_labels: dict[Correction, str] = {}
    mutual_caps_per_unit: dict[str, Cap] = {}
    total_caps_per_unit: dict[str, Cap] = {}


class RenewalBand(_Frozen):
    under_age: int | None  # None: everybody older
    months: int
    label: str
    sight_change_months: int | None = None  # early renewal after a change of sight
    frame_misfit_months: int | None = None  # when the frame no longer fits (young children)
    exceptions_unconfirmed: bool = False


class RenewalVersion(Dated):
    optics: tuple[RenewalBand, ...]
    hearing_months: int
    hearing_label: str


class FormulasFile(_Frozen):
    contrat_responsable: tuple[ContratResponsableVersion, ...]
    renewal: tuple[RenewalVersion, ...]
    formulas: tuple[FormulaDef, ...]
    note: str | None = None


# --- regimes.json --------------------------------------------------------------------------


class SituationRule(_Frozen):
    """What one regime or situation changes in the split of a care it applies to."""

    label: str  # French, said after the Sécurité sociale rate: « au titre de votre ALD »
    exemption_label: str  # French, why a deductible is not withheld
    rate_percent: Percent | None = None  # rate of the base for every reimbursed group
    rates: dict[RateGroup, Percent] = {}  # or per group (local regime)
    excluded_groups: tuple[RateGroup, ...] = ()
    unconfirmed_groups: tuple[RateGroup, ...] = ()  # rates of these groups to confirm
    participation_waived: bool = False
    franchise_waived: bool = False
    daily_charge_paid: bool = False  # forfait journalier paid by the public cover
    emergency_paid: bool = False  # forfait patient urgences not due
    emergency_reduced: bool = False  # forfait patient urgences at its reduced amount
    heavy_flat_waived: bool = False  # no forfait sur les actes lourds
    sante_100_paid: bool = False  # 100 % Santé baskets paid up to the price cap
    no_extra_fees: bool = False  # practitioners may not charge dépassements
    deductibles_note: str | None = None  # French, when the deductibles stay due
    note: str | None = None  # French note for the member when the rule applies
    unconfirmed_effects: tuple[Effect, ...] = ()
    source: str

    def rate_for(self, group: RateGroup) -> int | None:
        if group in self.excluded_groups:
            return None
        return self.rates.get(group, self.rate_percent)


class RegimesVersion(Dated):
    alsace_moselle: SituationRule
    ald: SituationRule
    maternity: SituationRule
    newborn: SituationRule
    newborn_days: int = Field(ge=1)
    c2s: SituationRule
    ame: SituationRule
    work_accident: SituationRule


class RegimesFile(_Frozen):
    versions: tuple[RegimesVersion, ...] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _versions(self) -> RegimesFile:
        _check_no_overlap(self.versions, "regimes")
        return self


_CATEGORY_GROUPS: dict[str, RateGroup] = {
    "consultation_gp": "doctor",
    "consultation_specialist": "doctor",
    "imaging": "doctor",
    "midwife": "midwife",
    "lab": "lab",
    "dental_care": "dental_care",
    "dental_prosthesis": "dental_prosthesis",
    "optics": "optics",
    "hearing": "hearing",
    "hospital": "hospital",
    "paramedical": "paramedical",
    "mental_health": "paramedical",
    "transport": "transport",
    "alternative_medicine": "none",
}
_MEDICINE_GROUPS: dict[int, RateGroup] = {
    100: "medicine_100",
    65: "medicine_65",
    30: "medicine_30",
    15: "medicine_15",
}


def rate_group(act: ActDef, version: ActVersion) -> RateGroup:
    """The group a regime's rates are given for: the act's own, else its category's;
    medicines by their rate (65 %, 30 %, 15 %, 100 %)."""
    if act.rate_group is not None:
        return act.rate_group
    if act.category in ("pharmacy", "vaccination"):
        return _MEDICINE_GROUPS.get(version.rate_percent, "device")
    return _CATEGORY_GROUPS.get(act.category, "none")


# --- loading -------------------------------------------------------------------------------


class Rules(_Frozen):
    acts: ActsFile
    deductibles: DeductiblesFile
    formulas: FormulasFile
    regimes: RegimesFile

    @functools.cached_property
    def acts_by_code(self) -> dict[str, ActDef]:
        """Every code and alias, upper case, to its act."""
        codes = {act.code: act for act in self.acts.acts}
        for act in self.acts.acts:
            for alias in act.aliases:
                codes.setdefault(alias, act)
        return codes

    @functools.cached_property
    def formulas_by_id(self) -> dict[str, FormulaDef]:
        return {formula.id: formula for formula in self.formulas.formulas}


def _read(name: str, model: type[BaseModel]) -> BaseModel:
    path = RULES_DIR / name
    try:
        return model.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise RulesDataError(
            "rules_invalid", f"Le fichier de règles {name} est invalide : {exc}"
        ) from exc


def _first_gap(versions: Sequence[Dated], start: date, end: date) -> date | None:
    """The first day from ``start`` to ``end`` that no version covers (None: all covered)."""
    day = start
    for version in sorted(versions, key=lambda v: v.valid_from):
        if version.valid_from > day:
            return day
        if version.valid_to is None or version.valid_to >= end:
            return None
        day = max(day, date.fromordinal(version.valid_to.toordinal() + 1))
    return day


def _check(rules: Rules) -> None:
    """Cross-file consistency, including the contrat responsable limits of each formula."""
    codes = rules.acts_by_code
    if len(codes) != len(rules.acts.acts) + sum(len(a.aliases) for a in rules.acts.acts):
        raise RulesDataError("rules_invalid", "Deux actes ont le même code dans acts.json.")
    problems: list[str] = []
    for act in rules.acts.acts:
        if act.heavy_act_flat_code and act.heavy_act_flat_code not in codes:
            problems.append(f"{act.code}: heavy_act_flat_code inconnu")
        for cap_key, attr in (
            (act.regulatory_mutual_cap, "mutual_caps_per_unit"),
            (act.regulatory_total_cap, "total_caps_per_unit"),
        ):
            if cap_key and any(
                cap_key not in getattr(cr, attr) for cr in rules.formulas.contrat_responsable
            ):
                problems.append(f"{act.code}: plafond {cap_key} inconnu")
    for formula in rules.formulas.formulas:
        for version in formula.versions:
            responsable = pick(rules.formulas.contrat_responsable, version.valid_from)
            if responsable is None:
                problems.append(f"{formula.id}: pas de règles contrat responsable")
                continue
            for key, g in version.guarantees.items():
                if g.percent_non_optam is None:
                    continue
                limit = responsable.non_optam_max_percent
                if g.percent > 100:
                    limit = min(limit, g.percent - responsable.non_optam_min_gap_points)
                if g.percent_non_optam > max(limit, 100):
                    problems.append(
                        f"{formula.id}/{key}: {g.percent_non_optam} % non OPTAM dépasse "
                        f"le plafond du contrat responsable ({max(limit, 100)} %)"
                    )
    start, end = rules.acts.rules_start, rules.acts.known_until
    for what, versions in (
        ("participation forfaitaire", rules.deductibles.participation_forfaitaire),
        ("franchises", rules.deductibles.franchises),
        ("contrat responsable", rules.formulas.contrat_responsable),
        ("renouvellement", rules.formulas.renewal),
        ("régimes", rules.regimes.versions),
    ):
        gap = _first_gap(versions, start, end)
        if gap is not None:
            problems.append(f"{what} : aucune règle en vigueur le {gap.isoformat()}")
    if problems:
        raise RulesDataError("rules_invalid", "Règles incohérentes : " + "; ".join(problems))


@functools.cache
def load_rules() -> Rules:
    rules = Rules(
        acts=_read("acts.json", ActsFile),
        deductibles=_read("deductibles.json", DeductiblesFile),
        formulas=_read("formulas.json", FormulasFile),
        regimes=_read("regimes.json", RegimesFile),
    )
    _check(rules)
    return rules
