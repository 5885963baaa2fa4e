"""The instants of the date sweep: where calendars bite. Each runs the tests marked `dated`
with the clock moved there (time-machine moves time itself: the product's clock is never
overridden), the demo seed built for that « today » as `make run` would build it that day.

Instants are Paris wall-clock times; the two nights the clocks change are given with their
offset, since one of them never happens (02:30 on 28 March 2027: 02:00 becomes 03:00) and the
other happens twice (02:30 on 31 October 2027, first in summer time)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

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


# The tests run at the instant, their setup before it: the clock starts LEAD before the instant
# (the demo seed and the other session fixtures are built then) and jumps to the instant when
# the first test runs (`arrive`). Started at the instant itself, a seed that took over a minute
# on a loaded machine made the tests of 08:59 run after 09:00. Eight minutes keep every instant's
# day and offset (00:10 → 00:02; the spring night's 03:30 summer time → 03:22).
LEAD = timedelta(minutes=8)

_travelling = False
_trip: dict = {}


def travelling() -> bool:
    """Whether this test process runs the date sweep (its clock moved by `--at`)."""
    return _travelling


def start(at: str) -> None:
    """Moves this process's clock to LEAD before `at` (time goes on from there)."""
    global _travelling
    from datetime import UTC

    from tests.travel import start as travel

    _trip.update(instant=instant(at).astimezone(UTC), late=None)
    _trip["traveller"] = travel(_trip["instant"] - LEAD)
    _travelling = True


def arrive() -> None:
    """Moves the clock forward to the instant (once; time goes on from there). Never back: what
    the setup made stays in the past. A setup longer than LEAD leaves the clock where it is
    (`late()` says by how much)."""
    from tests.travel import start as travel

    if not _travelling or "arrived" in _trip:
        return
    _trip["arrived"] = True
    from shared import clock

    late = (clock.now() - _trip["instant"]).total_seconds()
    if late > 0:
        _trip["late"] = late
        return
    _trip["traveller"].stop()
    _trip["traveller"] = travel(_trip["instant"])


def late() -> float | None:
    """Seconds the clock was already past the instant when the first test ran, if it was."""
    return _trip.get("late")


def at() -> datetime | None:
    """The instant of this process's sweep (UTC), if it runs one."""
    return _trip.get("instant")


def stop() -> None:
    global _travelling
    if _trip.get("traveller") is not None:
        _trip.pop("traveller").stop()
    _travelling = False


# ----------------------------------------------------------------------------- the runner
def dated_files() -> list[str]:
    """The test files holding tests marked `dated` (only they are collected: faster)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent
    files = [path for folder in ("unit", "integration")
             for path in (root / folder).rglob("test_*.py")]
    return sorted(str(path.relative_to(root.parent)) for path in files
                  if "mark.dated" in path.read_text(encoding="utf-8"))


def _run(at: str, paths: list[str], extra: list[str]) -> tuple[str, int, str, float]:
    import subprocess
    import sys
    import time

    command = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider",
               "--at", at, *extra]
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return at, done.returncode, done.stdout + done.stderr, time.monotonic() - began


def main(argv: list[str] | None = None) -> int:
    """`python -m tests.sweep [INSTANT...] [--jobs N] [--all] [-- PYTEST ARGS]`: the tests
    marked `dated` (every unit and integration test with --all), at every instant of INSTANTS
    (or those given), N instants at once (one test process each). Prints one line an instant,
    the output of those that failed, and fails if any did."""
    import argparse
    import sys
    from concurrent.futures import ThreadPoolExecutor

    args = list(sys.argv[1:] if argv is None else argv)
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[:args.index("--")] if "--" in args else args
    parser = argparse.ArgumentParser(prog="python -m tests.sweep")
    parser.add_argument("instants", nargs="*", default=list(INSTANTS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--all", action="store_true",
                        help="every unit and integration test, not only those marked dated")
    options = parser.parse_args(args)
    paths = ["tests/unit", "tests/integration"] if options.all else dated_files()
    if options.all:
        extra = ["--every-test", *extra]
    failed = []
    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        for at, code, output, seconds in pool.map(lambda a: _run(a, paths, extra),
                                                  options.instants):
            last = output.strip().splitlines()[-1] if output.strip() else "no output"
            print(f"{'ok  ' if code == 0 else 'FAIL'} {at:<24} {last}  [{seconds:.0f} s]  "
                  f"{INSTANTS.get(at, '')}", flush=True)
            if code != 0:
                failed.append((at, output))
    for at, output in failed:
        print(f"\n===== {at} =====\n{output[-12000:]}")
    if failed:
        print(f"\nThe date sweep failed at {len(failed)} instant(s); one alone: "
              f"make test-date AT={failed[0][0]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
