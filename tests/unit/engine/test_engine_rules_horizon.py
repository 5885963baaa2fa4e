"""When the calendar passes the newest rules the engine knows: it goes on with them, says so,
and `make test` warns months before it happens."""

import warnings
from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from engine import BeneficiaryFacts, CareInput, compute, rules_date, rules_known_until
from engine.guarantees import comparison
from shared import clock
from tests.helpers import RulesRunningOut, plain

ADULT = BeneficiaryFacts(id="B1", birth_date=date(1988, 5, 12))
WARN_DAYS = 180


def test_care_after_the_known_rules_is_computed_on_the_newest_ones_and_says_so():
    known = rules_known_until()
    later = known + timedelta(days=60)
    on_last_day = compute(CareInput(act_code="G", care_date=known, price_cents=3000), ADULT,
                          "equilibre")
    after = compute(CareInput(act_code="G", care_date=later, price_cents=3000), ADULT,
                    "equilibre")
    assert after.totals == on_last_day.totals
    assert after.rules_date == known and on_last_day.rules_date == known
    assert after.unconfirmed and not on_last_day.unconfirmed
    said = plain(" ".join(after.notes))
    assert f"règles connues au {known:%d/%m/%Y}" in said
    assert f"celles en vigueur le {later:%d/%m/%Y} ne sont pas encore publiées" in said
    assert not any("règles connues" in n for n in on_last_day.notes)


def test_a_leap_day_past_the_rules_is_computed():
    day = date(2028, 2, 29)
    assume = rules_known_until() < day
    breakdown = compute(CareInput(act_code="CS-PED", care_date=day, price_cents=4000),
                        BeneficiaryFacts(id="B1", birth_date=date(2027, 2, 28)), "equilibre")
    assert breakdown.totals.social_security_cents == 2800  # €40 under 2, 70 %
    assert breakdown.rules_date == (rules_known_until() if assume else day)


def test_the_guarantees_are_shown_past_the_rules_with_their_date():
    later = rules_known_until() + timedelta(days=400)
    tables = comparison(later)
    assert tables and all(t.rules_date == rules_known_until() and t.on == later for t in tables)
    assert rules_date(later) == rules_known_until()


@pytest.mark.dated
def test_the_rules_are_known_months_ahead():
    """Warns (does not fail) when fewer than six months of rules are left, or none."""
    left = (rules_known_until() - clock.today()).days
    if left < WARN_DAYS:
        warnings.warn(RulesRunningOut(
            f"The engine's rules are known until {rules_known_until():%d/%m/%Y}, "
            f"{max(left, 0)} days from today: add next year's figures (functions/engine/rules/). "
            "Past that day the portal goes on with the newest rules and says so."), stacklevel=1)
    assert left > -3650, "rules ten years old: nothing here should still be trusted"


@pytest.mark.parametrize("today", [date(2027, 6, 1), date(2027, 7, 5), date(2028, 2, 29)])
def test_the_warning_comes_six_months_ahead(today):
    noon = datetime.combine(today, time(12), clock.PARIS)
    with time_machine.travel(noon, tick=False), warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        test_the_rules_are_known_months_ahead()
    expected = (rules_known_until() - today).days < WARN_DAYS
    assert any(issubclass(w.category, RulesRunningOut) for w in seen) == expected
