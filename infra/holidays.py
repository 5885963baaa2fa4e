"""`python -m infra.holidays`: writes the public holidays of metropolitan France (and those
Alsace and Moselle add) into
functions/shared/public_holidays.json, from the `holidays` library (a development
dependency: the functions read the file and carry no library for it, whose import alone took
0.7 s). tests/unit/test_hours.py checks that the file is what the library says and that it
covers the coming years."""

from __future__ import annotations

import json
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 2024, 2040
TARGET = Path(__file__).resolve().parents[1] / "functions" / "shared" / "public_holidays.json"


def public_holidays(first: int = FIRST_YEAR, last: int = LAST_YEAR, *,
                    subdivision: str | None = None) -> dict[str, str]:
    from holidays.countries.france import France

    days = France(years=range(first, last + 1), language="fr", subdiv=subdivision)
    return {day.isoformat(): name for day, name in sorted(days.items())}


def local_holidays(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> dict[str, str]:
    """The days Alsace and Moselle (57, 67, 68) add: Good Friday and 26 December."""
    national = public_holidays(first, last)
    return {day: name for day, name in public_holidays(first, last, subdivision="57").items()
            if day not in national}


def document() -> dict:
    return {
        "_comment": "Jours fériés de France métropolitaine (Code du travail, art. L3133-1), "
                    "générés par `python -m infra.holidays` avec la bibliothèque holidays. "
                    "Les conseillers ne répondent pas ces jours-là ; les agences d'Alsace et de "
                    "Moselle ferment aussi les jours de alsace_moselle.",
        "years": [FIRST_YEAR, LAST_YEAR],
        "days": public_holidays(),
        "alsace_moselle": local_holidays(),
    }


def main() -> None:
    TARGET.write_text(json.dumps(document(), ensure_ascii=False, indent=2) + "\n",
                      encoding="utf-8")
    print(f"wrote {TARGET.relative_to(TARGET.parents[2])}")


if __name__ == "__main__":
    main()
