"""The rules in force on the care date, resolved once for one care: act, formula, deductibles,
contrat responsable, renewal periods and the beneficiary's cover. Steps read only this."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from shared.dates import age_on, fr_date

from .catalogue import (
    act_def,
    act_version,
    beyond_rules_note,
    check_care_date,
    formula_def,
    formula_version,
)
from .coverage import Coverage, resolve_coverage
from .errors import CareDateError, InvalidBeneficiaryError, InvalidCareError, RulesDataError
from .history import History
from .models import BeneficiaryFacts, CareInput
from .money import eur
from .rules import (
    ActDef,
    ActVersion,
    ContratResponsableVersion,
    FormulaDef,
    FormulaVersion,
    FranchiseVersion,
    Guarantee,
    ParticipationVersion,
    load_rules,
    pick,
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    care: CareInput
    benef: BeneficiaryFacts
    history: History
    act: ActDef
    version: ActVersion
    formula: FormulaDef
    fversion: FormulaVersion
    guarantee: Guarantee | None
    participation: ParticipationVersion | None
    franchises: FranchiseVersion | None
    responsable: ContratResponsableVersion | None
    heavy_flat: ActVersion | None  # forfait actes lourds in force, for acts that carry it
    coverage: Coverage
    out_of_pathway: bool  # the care-pathway cut applies (16 and over, no direct access)
    age: int
    sector: int | None
    non_optam: bool
    notes: tuple[str, ...]

    @property
    def day(self) -> date:
        return self.care.care_date


def _refuse_price(care: CareInput) -> None:
    max_price = load_rules().acts.max_price_cents
    if care.price_cents <= 0:
        raise InvalidCareError(
            "invalid_price",
            "Indiquez le montant payé pour ce soin : il doit être supérieur à 0 €.",
            "price_cents",
        )
    if care.price_cents > max_price:
        raise InvalidCareError(
            "invalid_price",
            f"Le montant de {eur(care.price_cents)} semble trop élevé (plus de "
            f"{eur(max_price)}) : vérifiez la somme saisie.",
            "price_cents",
        )


def _refuse_quantity(care: CareInput, act: ActDef) -> None:
    if not 1 <= care.quantity <= act.max_quantity:
        singular, plural_form = act.quantity_unit
        message = (
            f"Pour « {act.label} », indiquez une seule {singular} par demande (quantité 1)."
            if act.max_quantity == 1
            else f"Pour « {act.label} », le nombre de {plural_form} doit être compris entre 1 et "
            f"{act.max_quantity}."
        )
        raise InvalidCareError("invalid_quantity", message, "quantity")


def _sector(care: CareInput, act: ActDef) -> tuple[int | None, bool, tuple[str, ...]]:
    if not act.needs_sector:
        return None, False, ()
    sector = 1 if care.sector is None else care.sector
    if sector not in (1, 2):
        raise InvalidCareError(
            "invalid_sector",
            "Le secteur du médecin doit être 1 (tarifs sans dépassement) ou 2 (honoraires "
            "libres). Les médecins non conventionnés (secteur 3) ne sont pas pris en charge "
            "par cet outil.",
            "sector",
        )
    if sector == 2 and care.optam is not True:
        if care.optam is None:
            return (
                sector,
                True,
                (
                    "Nous avons supposé que le médecin, en secteur 2, n'adhère pas à l'OPTAM : "
                    "s'il y adhère, votre remboursement peut être plus élevé.",
                ),
            )
        return sector, True, ()
    return sector, False, ()


@functools.lru_cache(maxsize=4096)
def _act_on(code: str, day: date) -> tuple[ActDef, ActVersion, ActVersion | None]:
    """The act, its version and its heavy act flat charge in force on ``day`` (cached: the
    rules never change while the process runs)."""
    act = act_def(code)
    version = act_version(act, day)
    heavy_flat = None
    if act.heavy_act_flat_code:
        heavy_flat = pick(load_rules().acts_by_code[act.heavy_act_flat_code].versions, day)
        if (
            heavy_flat is None
            or heavy_flat.base_cents is None
            or heavy_flat.threshold_cents is None
        ):
            raise RulesDataError("rules_missing", "Forfait actes lourds absent à cette date.")
    return act, version, heavy_flat


@functools.lru_cache(maxsize=4096)
def _formula_on(formula_id: str, day: date) -> tuple[FormulaDef, FormulaVersion]:
    formula = formula_def(formula_id)
    return formula, formula_version(formula, day)


@functools.lru_cache(maxsize=2048)
def _deductibles_on(
    day: date,
) -> tuple[ParticipationVersion | None, FranchiseVersion | None, ContratResponsableVersion | None]:
    rules = load_rules()
    return (
        pick(rules.deductibles.participation_forfaitaire, day),
        pick(rules.deductibles.franchises, day),
        pick(rules.formulas.contrat_responsable, day),
    )


def resolve(
    care: CareInput,
    benef: BeneficiaryFacts,
    formula_id: str,
    history: History | None,
    today: date | None,
) -> Snapshot:
    """Check the input and resolve every rule in force on the care date, once."""
    check_care_date(care.care_date)
    if today is not None and care.care_date > today:
        raise CareDateError(
            "care_date_in_future",
            f"La date des soins ({fr_date(care.care_date)}) est dans le futur : indiquez "
            f"la date à laquelle les soins ont eu lieu.",
            "care_date",
        )
    act, version, heavy_flat = _act_on(care.act_code.strip().upper(), care.care_date)
    formula, fversion = _formula_on(formula_id, care.care_date)
    if benef.birth_date > care.care_date:
        raise InvalidBeneficiaryError(
            "care_before_birth",
            f"La date des soins ({fr_date(care.care_date)}) est antérieure à la date de "
            f"naissance du bénéficiaire ({fr_date(benef.birth_date)}) : vérifiez-la.",
            "care_date",
        )
    if history is None:
        history = History.empty(benef.id, care.care_date)
    elif history.beneficiary_id != benef.id:
        raise InvalidBeneficiaryError(
            "history_mismatch",
            "L'historique fourni ne correspond pas au bénéficiaire des soins.",
            "beneficiary_id",
        )
    _refuse_price(care)
    _refuse_quantity(care, act)
    sector, non_optam, notes = _sector(care, act)

    day = care.care_date
    participation, franchises, responsable = _deductibles_on(day)
    if act.participation and participation is None:
        raise RulesDataError("rules_missing", "Participation forfaitaire absente à cette date.")
    if act.franchise and franchises is None:
        raise RulesDataError("rules_missing", "Franchises médicales absentes à cette date.")
    age = age_on(benef.birth_date, day)
    coverage = resolve_coverage(care, benef, act, version, age)
    if coverage.no_extra_fees and non_optam:
        # Sector 2 doctors bill a C2S or AME patient at the tariff of the convention.
        non_optam, notes = False, ()
    notes += coverage.notes
    beyond = beyond_rules_note(day)
    if beyond:
        notes += (beyond,)
    out_of_pathway = False
    if act.care_pathway and version.out_of_pathway_rate_percent is not None:
        if act.direct_access is not None and act.direct_access.applies(age):
            if not care.care_pathway:
                notes += (
                    f"Accès direct : vous pouvez consulter un {act.direct_access.label} sans "
                    f"passer par votre médecin traitant, vous restez dans le parcours de soins.",
                )
        elif not care.care_pathway:
            if age < 16:
                notes += (
                    "Le parcours de soins coordonnés ne s'applique pas avant 16 ans : "
                    "le remboursement n'est pas réduit.",
                )
            else:
                out_of_pathway = True
    return Snapshot(
        care=care,
        benef=benef,
        history=history,
        act=act,
        version=version,
        formula=formula,
        fversion=fversion,
        guarantee=fversion.guarantees.get(act.guarantee),
        participation=participation,
        franchises=franchises,
        responsable=responsable,
        heavy_flat=heavy_flat,
        coverage=coverage,
        out_of_pathway=out_of_pathway,
        age=age,
        sector=sector,
        non_optam=non_optam,
        notes=notes,
    )
