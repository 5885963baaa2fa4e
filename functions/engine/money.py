"""Integer money arithmetic and month arithmetic (no float, no Decimal). Formatting for
people is in `shared.money` and `shared.dates`."""

from __future__ import annotations

import calendar
import functools
from datetime import date

from shared.money import format_eur

# The same few amounts are formatted again and again: the engine formats through this cache.
eur = functools.lru_cache(maxsize=8192)(format_eur)


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


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)
