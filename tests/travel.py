"""`python -m tests.travel <instant> <module> [args...]`: runs `python -m <module>` with the
clock moved to <instant> and going on from there, as the date sweep moves the tests' own
process (the local stack started by a test at 1 January 00:10 lives at 1 January 00:10 too).
Test code only: the product has no way to move its clock."""

from __future__ import annotations

import runpy
import sys
from datetime import datetime

import time_machine


def main() -> None:
    at, module, *args = sys.argv[1:]
    time_machine.travel(datetime.fromisoformat(at), tick=True).start()
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
