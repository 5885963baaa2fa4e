"""Dates are Europe/Paris: 'today' for a member is the date in Paris, not UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now_paris() -> datetime:
    return datetime.now(PARIS)


def today_paris() -> date:
    return now_paris().date()


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
