"""The rules of call-back slots and opening hours (support.logic.slots, shared.hours)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from shared.dates import PARIS
from shared.errors import Unprocessable
from shared.hours import fr_moment, parse
from support.logic import slots
from support.logic.opening_hours import default_hours

HOURS = default_hours()
MONDAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)  # a Friday morning


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def test_opening_hours_are_read_from_configuration():
    assert HOURS.lines() == [("Du lundi au jeudi", "9 h – 18 h"), ("Le vendredi", "9 h – 17 h"),
                             ("Le samedi", "9 h – 12 h"), ("Le dimanche", "fermé")]
    assert HOURS.is_open(paris(MONDAY, 9)) and not HOURS.is_open(paris(MONDAY, 18))
    assert not HOURS.is_open(paris(MONDAY, 8, 59))
    saturday_noon = paris(date(2026, 11, 28), 12)
    assert HOURS.next_opening(saturday_noon) == paris(MONDAY, 9)
    holiday = parse({"week": {"0": [["09:00", "12:00"], ["14:00", "17:30"]]},
                     "closed": ["2026-11-30"]})
    assert holiday.next_opening(paris(MONDAY, 8)) == paris(MONDAY + timedelta(days=7), 9)
    assert holiday.lines()[0] == ("Le lundi", "9 h – 12 h et 14 h – 17 h 30")


def test_when_the_service_opens_is_said_in_french():
    assert fr_moment(paris(MONDAY, 9), paris(MONDAY, 7)) == "aujourd'hui à 9 h"
    assert fr_moment(paris(MONDAY, 9), paris(MONDAY - timedelta(days=1), 15)) == "demain à 9 h"
    assert fr_moment(paris(MONDAY, 9, 30), NOW) == "lundi 30 novembre à 9 h 30"
    assert fr_moment(paris(date(2026, 12, 1), 9), NOW) == "mardi 1er décembre à 9 h"


def test_a_slot_id_carries_its_start_and_its_advisor():
    start = paris(MONDAY, 10, 30)
    slot_id = slots.slot_id(start, "advisor-sub")
    assert slot_id.startswith("S20261130T0930-")  # UTC
    assert slots.slot_start(slot_id) == start.astimezone(UTC)
    assert slots.slot_id(start, "another-sub") != slot_id
    for bad in ("S20261130T0930", "S20261399T0930-abcdef12", "R20261130T0930-abcdef12", ""):
        assert slots.slot_start(bad) is None


def test_advisors_open_slots_within_one_opening_period():
    planned = slots.plan(MONDAY, "10:00", 30, 3, now=NOW, hours=HOURS)
    assert planned == [(paris(MONDAY, 10), paris(MONDAY, 10, 30)),
                       (paris(MONDAY, 10, 30), paris(MONDAY, 11)),
                       (paris(MONDAY, 11), paris(MONDAY, 11, 30))]
    assert len(slots.plan(MONDAY, "17:30", 15, 2, now=NOW, hours=HOURS)) == 2


@pytest.mark.parametrize("day, start, minutes, count, code", [
    (MONDAY, "17:30", 30, 2, "slot_closed"),  # the second one ends after 18 h
    (MONDAY, "08:30", 30, 1, "slot_closed"),
    (date(2026, 11, 29), "10:00", 30, 1, "slot_closed"),  # a Sunday
    (date(2026, 11, 27), "10:15", 15, 1, "slot_too_soon"),  # in a quarter of an hour
    (date(2026, 11, 26), "10:00", 30, 1, "slot_too_soon"),  # yesterday
    (date(2027, 2, 1), "10:00", 30, 1, "slot_too_far"),
    (date(2027, 3, 28), "02:30", 15, 1, "slot_time"),  # the hour skipped in spring
])
def test_slots_outside_the_rules_are_refused_in_french(day, start, minutes, count, code):
    with pytest.raises(Unprocessable) as refused:
        slots.plan(day, start, minutes, count, now=NOW, hours=HOURS)
    assert refused.value.code == code and refused.value.message[0].isupper()


def test_an_advisor_cannot_open_overlapping_slots():
    taken = [(paris(MONDAY, 10), paris(MONDAY, 10, 30))]
    assert slots.overlaps([(paris(MONDAY, 10, 15), paris(MONDAY, 10, 30))], taken)
    assert slots.overlaps([(paris(MONDAY, 9, 45), paris(MONDAY, 10, 15))], taken)
    assert not slots.overlaps([(paris(MONDAY, 10, 30), paris(MONDAY, 11))], taken)
    assert not slots.overlaps([(paris(MONDAY, 9, 30), paris(MONDAY, 10))], taken)


def test_which_slots_a_member_may_book():
    now = paris(MONDAY, 9)
    assert slots.bookable(paris(MONDAY, 11), "open", now)
    assert "vient d'être réservé" in slots.booking_problem(paris(MONDAY, 15), "booked", now)
    assert "deux heures" in slots.booking_problem(paris(MONDAY, 10, 59), "open", now)
    assert "14 prochains jours" in slots.booking_problem(now + timedelta(days=15), "open", now)
    assert slots.bookable(now + timedelta(days=13), "open", now)


def test_a_call_back_can_be_cancelled_until_an_hour_before():
    now = paris(MONDAY, 9)
    assert slots.can_cancel(paris(MONDAY, 10), "booked", now)
    assert not slots.can_cancel(paris(MONDAY, 9, 59), "booked", now)
    assert not slots.can_cancel(paris(MONDAY, 15), "cancelled", now)


@pytest.mark.parametrize("typed, kept", [
    ("06 12 34 56 78", "06 12 34 56 78"), ("0612345678", "06 12 34 56 78"),
    ("+33 6 12 34 56 78", "06 12 34 56 78"), ("0033612345678", "06 12 34 56 78"),
    ("06.12.34.56.78", "06 12 34 56 78"), ("01-23-45-67-89", "01 23 45 67 89"),
    ("+33 (0)1 23 45 67 89", None), ("+44 20 7946 0958", None), ("0012345678", None),
    ("00 12 34 56 78", None), ("612345678", None), ("06 12 34 56 7X", None),
])
def test_the_phone_number_is_a_french_one(typed, kept):
    assert slots.phone(typed) == kept
