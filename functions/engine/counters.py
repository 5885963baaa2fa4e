"""Yearly counters of one beneficiary: caps, forfaits left, next renewal dates."""

from __future__ import annotations

from datetime import date

from .catalogue import formula_def, formula_version
from .history import History
from .models import BeneficiaryFacts, Counters, ForfaitCounter
from .renewal import next_covered_date, period
from .rules import latest, load_rules, pick


def counters(
    history: History,
    beneficiary: BeneficiaryFacts,
    formula_id: str,
    year: int,
    *,
    on: date | None = None,
) -> Counters:
    """Counters for ``year`` as of ``on`` (default: the history's date if it falls in that
    year, else 31 December). Multi-year forfaits show the period running on that date."""
    if on is None:
        on = (
            history.on if history.on is not None and history.on.year == year else date(year, 12, 31)
        )
    rules = load_rules()
    formula = formula_def(formula_id)
    version = pick(formula.versions, on) or formula_version(
        formula, max(on, rules.acts.rules_start)
    )
    participation = pick(rules.deductibles.participation_forfaitaire, on) or latest(
        rules.deductibles.participation_forfaitaire
    )
    franchises = pick(rules.deductibles.franchises, on) or latest(rules.deductibles.franchises)
    usage = history.year(year)

    forfaits = []
    for key, forfait in version.forfaits.items():
        used, start, end = history.forfait_used(key, forfait.period_months, on)
        forfaits.append(
            ForfaitCounter(
                key=key,
                label=forfait.label,
                period_label=forfait.period_label,
                limit_cents=forfait.amount_cents,
                used_cents=used,
                left_cents=max(0, forfait.amount_cents - used),
                period_start=start,
                period_end=end,
            )
        )
    _, optics_label = period("optics", beneficiary.birth_date, on)
    _, hearing_label = period("hearing", beneficiary.birth_date, on)
    return Counters(
        beneficiary_id=beneficiary.id,
        formula_id=formula.id,
        year=year,
        as_of=on,
        participation_paid_cents=usage.participation_cents,
        participation_cap_cents=participation.yearly_cap_cents,
        franchise_paid_cents=usage.franchise_cents,
        franchise_cap_cents=franchises.yearly_cap_cents,
        forfaits=forfaits,
        optics_last_date=history.last_optics_date,
        optics_next_date=next_covered_date(
            "optics", history.last_optics_date, beneficiary.birth_date
        ),
        optics_renewal_label=optics_label,
        hearing_last_date=history.last_hearing_date,
        hearing_next_date=next_covered_date(
            "hearing", history.last_hearing_date, beneficiary.birth_date
        ),
        hearing_renewal_label=hearing_label,
    )
