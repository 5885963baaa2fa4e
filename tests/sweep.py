"""The instants of the date sweep: where calendars bite. Each runs the tests marked `dated`
with the clock moved there (time-machine moves time itself: the product's clock is never
overridden), the demo seed built for that « today » as `make run` would build it that day.

Instants are Paris wall-clock times; the two nights the clocks change are given with their
offset, since one of them never happens (02:30 on 28 March 2027: 02:00 becomes 03:00) and the
other happens twice (02:30 on 31 October 2027, first in summer time)."""

from __future__ import annotations

from datetime import datetime

from shared.clock import PARIS

INSTANTS: dict[str, str] = {
    "2026-12-31T23:50": "the year's last minutes: yearly caps, the card and contract of a year",
    "2027-01-01T00:10": "a new year, a public holiday: renewal, counters reset, last December's "
                        "instalment still payable",
    "2027-02-28T10:00": "the end of a February without 29th, a Sunday",
    "2028-02-29T10:00": "a leap day, past the newest rules the engine knows",
    "2028-03-01T18:30": "the day after a leap day, after the advisors' closing time",
    "2027-03-28T02:30+01:00": "the spring night: 02:30 never happens (this is 03:30 summer time)",
    "2027-10-31T02:30+02:00": "the autumn night: 02:30 summer time, an hour before it comes back",
    "2027-06-30T12:00": "the middle of the year, at noon",
    "2027-12-01T08:59": "December, a minute before opening: next year's first instalment",
    "2026-12-06T21:10": "a Sunday evening in December (the advisors are closed)",
}


def instant(text: str) -> datetime:
    """An instant of the sweep (or any ISO 8601 time; without an offset, Paris time)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


_travelling = False


def travelling() -> bool:
    """Whether this test process runs the date sweep (its clock moved by `--at`)."""
    return _travelling


def start(at: str):
    """Moves this process's clock to `at` (time goes on from there); returns the traveller."""
    global _travelling
    from datetime import UTC

    from tests.travel import start as travel

    traveller = travel(instant(at).astimezone(UTC))
    _travelling = True
    return traveller
