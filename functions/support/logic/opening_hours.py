"""The advisors' opening hours as configured in `support/opening_hours.json`, when the table
holds none (`SUPPORT#<team>` / `HOURS`)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from shared.hours import OpeningHours, parse


@lru_cache(maxsize=1)
def default_hours() -> OpeningHours:
    path = Path(__file__).resolve().parents[1] / "opening_hours.json"
    return parse(json.loads(path.read_text(encoding="utf-8")))
