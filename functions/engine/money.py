"""Integer money arithmetic and month arithmetic (no float, no Decimal). Formatting for
people is in `shared.money` and `shared.dates`."""

from __future__ import annotations

import functools

from shared.dates import add_days, add_months

__all__ = ["add_days", "add_months", "div_half_up", "percent_of"]

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
