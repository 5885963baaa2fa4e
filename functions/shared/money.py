"""Money is integer cents everywhere; these helpers only format for people."""


def format_eur(cents: int) -> str:
    """French format, e.g. 123456 -> '1 234,56 €' (narrow no-break spaces as Intl does)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count} {singular if count == 1 else plural_form}"
