"""The one clock of the product: « now » and « today » are read here and nowhere else (ruff's
banned-api rule keeps it so).

- `today()` is the date in Europe/Paris: at 00:10 in Paris on 1 January it is already 1 January,
  while UTC still says 31 December.
- `now()` is the instant, aware and in UTC, so that adding a duration counts real seconds even
  on the nights the clocks change (an aware Paris time plus two hours is two hours of the wall
  clock, not of the world); it is shown in Paris time with `shared.ids.iso_paris`.

Nothing overrides the clock at run time, so nothing can on AWS: the date sweep of the tests
moves time itself (time-machine, a test dependency), and this module reads it as the product
does."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """This instant, aware, in UTC."""
    return datetime.now(UTC)  # noqa: TID251 - the one reading of the clock


def today() -> date:
    """The date in Paris."""
    return now().astimezone(PARIS).date()


def epoch() -> int:
    """Seconds since 1970, what expiries and time-to-live attributes count."""
    return int(time.time())  # noqa: TID251 - the one reading of the clock
