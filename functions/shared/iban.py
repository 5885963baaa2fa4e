"""Bank account values. Validation uses schwifty, imported only where an IBAN is checked."""

from __future__ import annotations

MASK = "•"


def normalize(iban: str) -> str:
    return "".join(iban.split()).upper()


def mask_iban(iban: str) -> str:
    """Show the country, check digits and last three characters only, grouped by four."""
    raw = normalize(iban)
    if len(raw) < 8:
        return MASK * 4
    visible = raw[:4] + MASK * (len(raw) - 7) + raw[-3:]
    return " ".join(visible[i:i + 4] for i in range(0, len(visible), 4))
