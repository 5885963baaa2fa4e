"""Integer money and date helpers (no float, no Decimal)."""

from __future__ import annotations

import calendar
from datetime import date


def div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half up, as the Sécurité sociale rounds to the cent."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    if numerator < 0:
        return -div_half_up(-numerator, denominator)
    return (2 * numerator + denominator) // (2 * denominator)


def percent_of(amount_cents: int, percent: int) -> int:
    """``percent`` % of an amount, rounded to the cent half up."""
    return div_half_up(amount_cents * percent, 100)


def _group_thousands(units: int) -> str:
    text = str(units)
    groups = []
    while len(text) > 3:
        groups.insert(0, text[-3:])
        text = text[:-3]
    groups.insert(0, text)
    return " ".join(groups)


def format_eur(cents: int) -> str:
    """French format: 1 234,56 € (plain spaces so texts stay easy to match)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{_group_thousands(cents // 100)},{cents % 100:02d} €"


def format_percent(percent: int) -> str:
    return f"{percent} %"


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count} {singular if count == 1 else plural_form}"
