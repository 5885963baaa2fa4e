"""`python -m tests.travel <instant> <module> [args...]`: runs `python -m <module>` with the
clock moved to <instant> and going on from there, as the date sweep moves the tests' own
process: the local stack a test starts at 1 January 00:10 lives at 1 January 00:10 too, its
Lambda worker processes included. Test code only: the product has no way to move its clock."""

from __future__ import annotations

import functools
import runpy
import sys
import time
from datetime import datetime

import time_machine


def _travelling_init(offset: float, *args) -> None:
    """A local Lambda worker (spawned: it does not inherit the travel) at its stack's time."""
    from infra.local import lambdas

    time_machine.travel(time.time() + offset, tick=True).start()  # noqa: TID251 - real time
    lambdas.init(*args)


def main() -> None:
    at, module, *args = sys.argv[1:]
    offset = datetime.fromisoformat(at).timestamp() - time.time()  # noqa: TID251 - real time
    time_machine.travel(datetime.fromisoformat(at), tick=True).start()
    from infra.local import lambdas
    from tests import travel  # by its name (this module runs as __main__): spawn pickles it

    lambdas.initializer = functools.partial(travel._travelling_init, offset)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
