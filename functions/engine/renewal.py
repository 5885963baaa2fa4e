"""Renewal periods of glasses and hearing aids (contrat responsable)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from shared.dates import age_on

from .errors import RulesDataError
from .money import add_months
from .rules import RenewalBand, RenewalKind, RenewalVersion, load_rules, pick

Reason = Literal["sight_change", "frame_misfit"]


def renewal_rules(on: date) -> RenewalVersion:
    versions = load_rules().formulas.renewal
    version = pick(versions, on)
    if version is None and on < min(v.valid_from for v in versions):
        # A purchase older than the rules files: the same renewal rule already applied.
        version = min(versions, key=lambda v: v.valid_from)
    if version is None:
        raise RulesDataError("rules_missing", "Règles de renouvellement absentes à cette date.")
    return version


def band(birth_date: date, on: date) -> RenewalBand:
    age = age_on(birth_date, on)
    for candidate in renewal_rules(on).optics:
        if candidate.under_age is None or age < candidate.under_age:
            return candidate
    raise RulesDataError("rules_invalid", "Aucune tranche d'âge de renouvellement optique.")


def period(
    kind: RenewalKind, birth_date: date, on: date, reason: Reason | None = None
) -> tuple[int, str]:
    """Months between two covered purchases, for the beneficiary's age on ``on``; ``reason``
    asks for an early renewal (change of sight, a child's frame that no longer fits)."""
    if kind == "hearing":
        rules = renewal_rules(on)
        return rules.hearing_months, rules.hearing_label
    rule = band(birth_date, on)
    if reason == "sight_change" and rule.sight_change_months is not None:
        return rule.sight_change_months, (
            "sans délai après une évolution de la vue justifiée par une ordonnance"
            if rule.sight_change_months == 0
            else f"au bout de {rule.sight_change_months} mois après une évolution de la vue "
            f"justifiée par une ordonnance"
        )
    if reason == "frame_misfit" and rule.frame_misfit_months is not None:
        return rule.frame_misfit_months, (
            f"au bout de {rule.frame_misfit_months} mois quand la monture n'est plus adaptée "
            f"au visage de l'enfant"
        )
    return rule.months, rule.label


def is_covered(
    kind: RenewalKind, last: date | None, birth_date: date, on: date, reason: Reason | None = None
) -> bool:
    # A purchase the same day as the last one is the same equipment (frame, then lenses).
    if last is None or on <= last:
        return True
    months, _ = period(kind, birth_date, on, reason)
    return on >= add_months(last, months)


def next_covered_date(kind: RenewalKind, last: date | None, birth_date: date) -> date | None:
    """Earliest date a new purchase is covered again (None if never bought).

    The period depends on the age at the new purchase, so try each possible period; the
    earliest candidate that is covered is the answer.
    """
    if last is None:
        return None
    rules = renewal_rules(last)
    candidates = sorted(
        {rules.hearing_months} if kind == "hearing" else {band.months for band in rules.optics}
    )
    for months in candidates:
        candidate = add_months(last, months)
        if is_covered(kind, last, birth_date, candidate):
            return candidate
    return add_months(last, candidates[-1])
