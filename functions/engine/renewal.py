"""Renewal periods of glasses and hearing aids (contrat responsable)."""

from __future__ import annotations

from datetime import date

from shared.dates import age_on

from .errors import RulesDataError
from .money import add_months
from .rules import RenewalKind, RenewalVersion, load_rules, pick


def renewal_rules(on: date) -> RenewalVersion:
    versions = load_rules().formulas.renewal
    version = pick(versions, on)
    if version is None and on < min(v.valid_from for v in versions):
        # A purchase older than the rules files: the same renewal rule already applied.
        version = min(versions, key=lambda v: v.valid_from)
    if version is None:
        raise RulesDataError("rules_missing", "Règles de renouvellement absentes à cette date.")
    return version


def period(kind: RenewalKind, birth_date: date, on: date) -> tuple[int, str]:
    """Months between two covered purchases, for the beneficiary's age on ``on``."""
    rules = renewal_rules(on)
    if kind == "hearing":
        return rules.hearing_months, rules.hearing_label
    age = age_on(birth_date, on)
    for band in rules.optics:
        if band.under_age is None or age < band.under_age:
            return band.months, band.label
    raise RulesDataError("rules_invalid", "Aucune tranche d'âge de renouvellement optique.")


def is_covered(kind: RenewalKind, last: date | None, birth_date: date, on: date) -> bool:
    # A purchase the same day as the last one is the same equipment (frame, then lenses).
    if last is None or on <= last:
        return True
    months, _ = period(kind, birth_date, on)
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
