"""What a reimbursement the management system paid consumed, rebuilt from its act and its
figures (no history read): the engine's later estimates and payments count it as if the
engine had computed it."""

from __future__ import annotations

from datetime import date

from .catalogue import act_def, formula_def, formula_version
from .errors import CareDateError, UnknownActError, UnknownFormulaError
from .history import PastCare
from .money import percent_of
from .rules import load_rules, pick


def past_care_of_payment(*, beneficiary_id: str, act_code: str, care_date: date,
                         formula_id: str | None, quantity: int, base_cents: int,
                         social_security_cents: int, deductibles_cents: int, mutual_cents: int,
                         participation_cents: int, franchise_cents: int,
                         practitioner_id: str | None = None) -> PastCare:
    """The PastCare of a paid reimbursement. The forfait part is what the mutuelle paid beyond
    the guarantee's percentage of the base (the engine takes the percentage first, then the
    forfait); glasses count for renewal once the mutuelle paid them."""
    try:
        act = act_def(act_code)
    except UnknownActError:
        return PastCare(beneficiary_id=beneficiary_id, care_date=care_date, act_code=act_code,
                        practitioner_id=practitioner_id, participation_cents=participation_cents,
                        franchise_cents=franchise_cents)
    forfait_key, forfait_cents = None, 0
    guarantee = None
    if formula_id:
        try:
            fversion = formula_version(formula_def(formula_id), care_date)
            guarantee = fversion.guarantees.get(act.guarantee)
        except (UnknownFormulaError, LookupError, ValueError, CareDateError):
            guarantee = None
    ss_gross = social_security_cents + deductibles_cents
    if guarantee is not None and guarantee.forfait and mutual_cents:
        percent_part = max(0, percent_of(base_cents, guarantee.percent) - ss_gross)
        forfait_cents = max(0, mutual_cents - min(percent_part, mutual_cents))
        forfait_key = guarantee.forfait if forfait_cents else None
    optics_cents = optics_cap = 0
    if act.renewal == "optics" and act.basket == "libre":
        optics_cents = mutual_cents
        responsable = pick(load_rules().formulas.contrat_responsable, care_date)
        share = (responsable.optics_lens_share_cents.get(act.correction)
                 if responsable is not None and act.correction is not None else None)
        if share is not None:
            optics_cap = share * act.lenses_per_unit * quantity
    return PastCare(
        beneficiary_id=beneficiary_id, care_date=care_date, act_code=act.code,
        practitioner_id=practitioner_id, participation_cents=participation_cents,
        franchise_cents=franchise_cents,
        franchise_kind=act.franchise if franchise_cents else None,
        forfait_key=forfait_key, forfait_cents=forfait_cents,
        renewal=act.renewal if mutual_cents > 0 else None,
        optics_cents=optics_cents, optics_cap_cents=optics_cap)
