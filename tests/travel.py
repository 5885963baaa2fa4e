"""`python -m tests.travel <offset> <module> [args...]`: runs `python -m <module>` with its
clock `offset` seconds away from the real one, as the date sweep moves the tests' own process:
the local stack a test starts at 1 January 00:10 lives at 1 January 00:10 too, to the second,
its Lambda worker processes included. Test code only: the product has no way to move its
clock."""

from __future__ import annotations

import functools
import runpy
import sys
import time

import time_machine


def _travelling_init(offset: float, *args) -> None:
    """A local Lambda worker (forked from the fork server, which does not travel) at its
    stack's time."""
    from infra.local import lambdas

    start(time.time() + offset)  # noqa: TID251 - real time
    lambdas.init(*args)


def start(destination) -> time_machine.travel:
    """Travels to `destination` (a UTC instant: the machine's own time zone is kept, as on
    Lambda), time going on from now: time-machine starts the clock at its first reading,
    which is made here."""
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    time.time()  # noqa: TID251 - starts the travelled clock now
    return traveller


def offset() -> float:
    """How far this process's clock is from the real one (0 when it does not travel)."""
    from time_machine import escape_hatch

    return time.time() - escape_hatch.time.time()  # noqa: TID251 - both clocks, compared


def main() -> None:
    seconds, module, *args = sys.argv[1:]
    offset = float(seconds)
    start(time.time() + offset)  # noqa: TID251 - real time
    from infra.local import lambdas
    from tests import travel  # by its name (this module runs as __main__): the pool pickles it

    lambdas.initializer = functools.partial(travel._travelling_init, offset)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
