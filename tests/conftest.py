"""How the suite runs.

- Two test workers (`-n 2 --dist loadgroup`, in `make test`): each file stays on one worker,
  in order, with its module's fixtures set up once; the few long parametrised gates are cut in
  two so that neither worker waits for the other at the end.
- The date sweep: `--at 2027-01-01T00:10` (Paris time, or any instant of tests/sweep.py) moves
  the clock to that instant before anything runs, and runs only the tests marked `dated`
  (whose outcome can depend on the date). `make test` runs it at every instant of
  tests/sweep.py; `make test-date AT=...` at one."""

import pytest

SPLIT = {"test_access_matrix.py", "test_call_budget.py"}


def pytest_addoption(parser):
    parser.addoption("--at", default=None, metavar="INSTANT",
                     help="run the tests marked `dated` with the clock at this instant "
                          "(ISO 8601; Paris time without an offset)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "dated: the outcome can depend on the date: runs at every instant of the "
                   "date sweep (tests/sweep.py)")
    at = config.getoption("--at")
    if at:
        from tests import sweep

        # tick: time goes on from the instant, as it does for a member.
        config._ea_travel = sweep.start(at)


def pytest_unconfigure(config):
    travel = getattr(config, "_ea_travel", None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    at = config.getoption("--at")
    if at:
        from shared import clock

        return f"date sweep: the clock is at {clock.now().astimezone(clock.PARIS).isoformat()}"
    return None


def pytest_collection_modifyitems(config, items):
    if config.getoption("--at"):
        kept = [item for item in items if item.get_closest_marker("dated")]
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    for index, item in enumerate(items):
        name = item.path.name
        group = f"{item.path.parent.name}/{name}"
        if name in SPLIT:
            group += f"#{index % 2}"
        item.add_marker(pytest.mark.xdist_group(group))
