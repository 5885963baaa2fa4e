"""Dates are Europe/Paris: 'today' for a member is the date in Paris, not UTC. French date
formats live here and nowhere else."""

from __future__ import annotations

import calendar
from datetime import date

from shared.clock import PARIS

__all__ = ["PARIS", "MONTHS", "age_on", "fr_date", "fr_date_long", "fr_month", "add_months",
           "add_days"]
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def fr_date(day: date) -> str:
    """12/10/2026"""
    return day.strftime("%d/%m/%Y")


def fr_date_long(day: date) -> str:
    """1er octobre 2026, 12 octobre 2026"""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def fr_month(year: int, month: int) -> str:
    """octobre 2026"""
    return f"{MONTHS[month - 1]} {year}"


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)
