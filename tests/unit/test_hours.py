"""Opening hours on any day: the public holidays of France are the library's, written for the
coming years; the service is closed on them, at night and on Sundays, and says when it opens."""

from datetime import date, datetime

import pytest

from infra import holidays
from shared import clock
from shared.hours import holidays_known_until, public_holidays
from support.logic.opening_hours import default_hours

PARIS = clock.PARIS


def test_the_written_holidays_are_the_librarys():
    assert {d.isoformat(): n for d, n in public_holidays().items()} == holidays.public_holidays()
    local = public_holidays(alsace_moselle=True)
    assert {d.isoformat(): n for d, n in local.items()} == {
        **holidays.public_holidays(), **holidays.local_holidays()}


@pytest.mark.dated
def test_the_holidays_cover_the_coming_years():
    assert holidays_known_until() >= date(clock.today().year + 5, 12, 31), (
        "public_holidays.json runs out soon: raise LAST_YEAR in infra/holidays.py and run "
        "`python -m infra.holidays`")


def test_the_public_holidays_of_2026_and_2027():
    days = public_holidays()
    assert sum(1 for d in days if d.year == 2026) == 11
    assert days[date(2026, 4, 6)] == "Lundi de Pâques"
    assert days[date(2027, 3, 29)] == "Lundi de Pâques"
    assert days[date(2027, 1, 1)] == "Jour de l'an"
    assert {date(2026, 5, 14), date(2026, 5, 25), date(2026, 7, 14)} <= set(days)
    local = set(public_holidays(alsace_moselle=True)) - set(days)
    assert {d for d in local if d.year == 2026} == {date(2026, 4, 3), date(2026, 12, 26)}


@pytest.mark.parametrize(("moment", "open_now"), [
    (datetime(2026, 12, 7, 10, 0), True),  # a Monday morning
    (datetime(2026, 12, 6, 21, 10), False),  # a Sunday evening
    (datetime(2026, 12, 31, 23, 50), False),  # a night
    (datetime(2027, 1, 1, 10, 0), False),  # New Year's Day, a Friday
    (datetime(2027, 3, 29, 10, 0), False),  # Easter Monday
    (datetime(2027, 3, 30, 10, 0), True),
    (datetime(2027, 5, 6, 11, 0), False),  # Ascension, a Thursday
    (datetime(2027, 12, 1, 8, 59), False),  # a minute before opening
    (datetime(2027, 12, 1, 9, 0), True),
])
def test_the_advisors_are_closed_on_nights_sundays_and_public_holidays(moment, open_now):
    assert default_hours().is_open(moment.replace(tzinfo=PARIS)) is open_now


def test_after_a_public_holiday_the_next_opening_is_the_next_working_day():
    hours = default_hours()
    # Thursday 31 December 2026 at 23:50: Friday is New Year's Day, Saturday opens at 9 h.
    opening = hours.next_opening(datetime(2026, 12, 31, 23, 50, tzinfo=PARIS))
    assert opening == datetime(2027, 1, 2, 9, 0, tzinfo=PARIS)
    assert hours.closed_on(date(2027, 1, 1)) == "Jour de l'an"
