"""The beneficiary's cover for one care: which regime and situations apply on the care date,
and what they change in the split. Resolved once, into the snapshot; steps only read it.

A regime or situation is a ``SituationRule`` of ``rules/regimes.json``; a new one is a rule
there and one line here saying when it applies, not a branch in every step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from shared.dates import age_on, fr_date

from .errors import InvalidCareError, RulesDataError
from .models import BeneficiaryFacts, CareInput, Situation
from .rules import ActDef, ActVersion, RateGroup, SituationRule, load_rules, pick, rate_group

NOT_REIMBURSED = frozenset({"daily_charge", "emergency_charge", "flat_charge", "none"})


@dataclass(frozen=True, slots=True)
class Coverage:
    """What applies to one care; each ``*_why`` is the French reason, None when it does not."""

    regime: str = "general"
    group: RateGroup = "none"
    situations: tuple[str, ...] = ()  # codes of the rules that apply: "ald", "c2s"...
    rate_percent: int | None = None  # replaces the act's rate (within the care pathway)
    rate_why: str = ""
    participation_waived: str | None = None
    franchise_waived: str | None = None
    daily_charge_paid: str | None = None
    emergency_paid: str | None = None
    emergency_reduced: str | None = None
    heavy_flat_waived: str | None = None
    sante_100_paid: str | None = None
    no_extra_fees: str | None = None
    deductibles_note: str | None = None
    notes: tuple[str, ...] = ()
    unconfirmed: bool = False


def _under_18(kind: str, birth_date: date, day: date) -> str | None:
    """The exemption of minors: the participation looks at the age on 1 January of the year of
    care (a child not yet 18 then is exempt the whole year), the franchises at the care date."""
    for exemption in load_rules().deductibles.exemptions:
        if exemption.code != "under_18" or kind not in exemption.applies_to:
            continue
        on = date(day.year, 1, 1) if exemption.age_on == "january_first" else day
        if age_on(birth_date, on) < 18:
            return exemption.label
    return None


def _active(
    care: CareInput, benef: BeneficiaryFacts, rules_on_day
) -> list[tuple[str, SituationRule, str]]:
    """(code, rule, reason) of every regime and situation applying to this care."""
    day, situation, legacy = care.care_date, benef.situation, benef.exemptions
    active: list[tuple[str, SituationRule, str]] = []
    if situation.regime == "alsace_moselle":
        rule = rules_on_day.alsace_moselle
        active.append(("alsace_moselle", rule, rule.label))
    if care.ald_related:
        alds = situation.ald_on(day)
        if not alds:
            raise InvalidCareError(
                "ald_not_in_force",
                f"Aucune affection de longue durée (ALD) n'est enregistrée pour ce bénéficiaire "
                f"à la date des soins ({fr_date(day)}) : décochez « Ce soin est lié à votre "
                f"ALD » ou mettez à jour la situation du bénéficiaire.",
                "ald_related",
            )
        rule = rules_on_day.ald
        labels = ", ".join(a.label for a in alds)
        active.append(("ald", rule, f"{rule.label} ({labels})"))
    if "pregnancy" in legacy or any(
        p.maternity_period().covers(day) for p in situation.pregnancies
    ):
        active.append(("maternity", rules_on_day.maternity, rules_on_day.maternity.label))
    if (day - benef.birth_date).days < rules_on_day.newborn_days:
        active.append(("newborn", rules_on_day.newborn, rules_on_day.newborn.label))
    for code in ("c2s", "ame"):
        periods = getattr(situation, code)
        if code in legacy or any(p.covers(day) for p in periods):
            rule = getattr(rules_on_day, code)
            active.append((code, rule, rule.label))
    if care.work_accident:
        rule = rules_on_day.work_accident
        active.append(("work_accident", rule, rule.label))
    return active


_GENERAL = Situation()


def resolve_coverage(
    care: CareInput, benef: BeneficiaryFacts, act: ActDef, version: ActVersion, age: int
) -> Coverage:
    """The cover of this care. Most cares are of the régime général with nothing special:
    that cover depends only on the act, the date and being a minor, and is cached."""
    if (
        not care.ald_related
        and not care.work_accident
        and not benef.exemptions
        and benef.situation == _GENERAL
        and (care.care_date - benef.birth_date).days > 366
    ):
        # Cached by what the cover depends on: the birth date only through the minors' rules.
        day = care.care_date
        birth = benef.birth_date
        minors = tuple(_under_18(kind, birth, day) is not None
                       for kind in ("participation", "franchise"))
        return _general(day, act.code, version.valid_from, minors, birth if any(minors) else None)
    return _resolve(care, benef, act, version, age)


@functools.lru_cache(maxsize=4096)
def _general(day: date, code: str, version_from: date, minors: tuple[bool, bool],
             minor_birth: date | None) -> Coverage:
    act = load_rules().acts_by_code[code]
    version = next(v for v in act.versions if v.valid_from == version_from)
    care = CareInput(act_code=code, care_date=day, price_cents=1)
    birth = minor_birth or date(day.year - 40, 1, 1)
    benef = BeneficiaryFacts(id="", birth_date=birth)
    return _resolve(care, benef, act, version, age_on(birth, day))


def _resolve(
    care: CareInput, benef: BeneficiaryFacts, act: ActDef, version: ActVersion, age: int
) -> Coverage:
    day = care.care_date
    rules_on_day = pick(load_rules().regimes.versions, day)
    if rules_on_day is None:
        raise RulesDataError("rules_missing", "Règles des régimes absentes à cette date.")
    group = rate_group(act, version)
    active = _active(care, benef, rules_on_day)
    unconfirmed = False

    # The most favourable rate among the rules that apply, if better than the act's own.
    rate, rate_why = None, ""
    if version.rate_percent > 0 and group not in NOT_REIMBURSED:
        for _, rule, why in active:
            candidate = rule.rate_for(group)
            if candidate is not None and candidate > max(rate or 0, version.rate_percent):
                rate, rate_why = candidate, why
                unconfirmed = "rate" in rule.unconfirmed_effects or (
                    group in rule.unconfirmed_groups
                )

    def first(effect: str, flag: str, relevant: bool) -> str | None:
        nonlocal unconfirmed
        if not relevant:
            return None
        for _, rule, _ in active:
            if getattr(rule, flag):
                unconfirmed |= effect in rule.unconfirmed_effects
                return rule.exemption_label
        return None

    alds_on_day = benef.situation.ald_on(day)
    emergency = group == "emergency_charge"
    emergency_reduced = first("emergency_reduced", "emergency_reduced", emergency)
    if emergency and emergency_reduced is None and alds_on_day:
        # The reduced emergency charge is for patients with an ALD, linked or not.
        emergency_reduced = "patient en affection de longue durée (ALD)"
    heavy = act.heavy_act_flat_code is not None or group == "flat_charge"
    deductibles_note = next(
        (rule.deductibles_note for _, rule, _ in active if rule.deductibles_note), None
    )
    return Coverage(
        regime=benef.situation.regime,
        group=group,
        situations=tuple(code for code, _, _ in active),
        rate_percent=rate,
        rate_why=rate_why,
        participation_waived=(
            (
                _under_18("participation", benef.birth_date, day)
                or first("participation", "participation_waived", True)
            )
            if act.participation
            else None
        ),
        franchise_waived=(
            (_under_18("franchise", benef.birth_date, day)
             or first("franchise", "franchise_waived", True))
            if act.franchise
            else None
        ),
        daily_charge_paid=first("daily_charge", "daily_charge_paid", group == "daily_charge"),
        emergency_paid=first("emergency", "emergency_paid", emergency),
        emergency_reduced=emergency_reduced,
        heavy_flat_waived=first("heavy_flat", "heavy_flat_waived", heavy),
        sante_100_paid=first("sante_100", "sante_100_paid", act.basket == "100_sante"),
        no_extra_fees=first(
            "no_extra_fees",
            "no_extra_fees",
            act.extra_fees if act.extra_fees is not None else act.needs_sector,
        ),
        deductibles_note=deductibles_note,
        notes=tuple(rule.note for _, rule, _ in active if rule.note),
        unconfirmed=unconfirmed,
    )


__all__ = ["Coverage", "resolve_coverage"]
