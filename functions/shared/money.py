"""Money is integer cents everywhere; these helpers only format for people."""


def format_eur(cents: int) -> str:
    """French format, e.g. 123456 -> '1 234,56 €' (narrow no-break spaces as Intl does)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"


def parse_euros(text: str) -> int:
    """Parse '12,50' or '12.50' or '12' into cents; raises ValueError."""
    cleaned = text.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("€").replace(",", ".")
    if not cleaned or cleaned.count(".") > 1:
        raise ValueError(text)
    whole, _, frac = cleaned.partition(".")
    if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
        raise ValueError(text)
    return int(whole) * 100 + int(frac.ljust(2, "0") or 0)
