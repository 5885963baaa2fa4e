import re


def cents(text: str) -> int:
    """'1 234,56 €' (any spaces) -> 123456."""
    digits = re.sub(r"[^\d,-]", "", text)
    euros, _, dec = digits.partition(",")
    return int(euros or 0) * 100 + int((dec or "0").ljust(2, "0")[:2])
