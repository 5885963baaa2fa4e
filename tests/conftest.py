"""How the suite runs.

- Two test workers (`-n 2 --dist loadgroup`, in `make test`): each unit or integration file
  goes to one worker, with its module's fixtures set up once; the two long parametrised gates
  are cut in two, and each end-to-end test goes alone, so that neither worker waits for the
  other at the end (`unit_of_work`, `pytest_xdist_make_scheduler`).
- Order: pytest-randomly shuffles the unit and integration tests (files and tests within a
  file; the seed is printed at the end, `--randomly-seed=N` replays it), to find tests that
  depend on another's leftovers. The end-to-end journeys keep their written order.
- The date sweep: `--at 2027-01-01T00:10` (Paris time, or any instant of tests/sweep.py) runs
  the tests with the clock at that instant (their setup a few minutes before it: tests/sweep.py),
  only the tests marked `dated` (whose outcome can depend on the date). `make test` runs it at
  every instant of tests/sweep.py; `make test-date AT=...` at one."""

from collections import Counter

import pytest

# The long parametrised gates, cut in parts that run side by side (test_faults.py: its tests
# share Fatima's password-check counter in one module world; whole, they reach its limit).
SPLIT = {"test_access_matrix.py": 2, "test_call_budget.py": 2, "test_faults.py": 2}
# The longest single tests, given out first so that neither worker ends alone with one.
FIRST = ("tests/integration/test_api_contract.py",)


def unit_of_work(nodeid: str, position: int = 0) -> str:
    """What xdist gives a worker at once (`--dist loadgroup`): a unit or integration file, its
    module fixtures set up once (a long gate: every other test of it, by `position` in the
    file); an end-to-end test alone — they share only their worker's stack and browser
    (session fixtures), and one journey takes up to a minute: both workers stay busy to the
    end."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/e2e/"):
        return nodeid
    parts = SPLIT.get(path.rsplit("/", 1)[-1])
    return f"{path}#{position % parts}" if parts else path


def _given_first(unit: tuple[str, dict]) -> tuple:
    # The longest single tests, then the files (largest first), then the end-to-end tests
    # (one-test units, in their order), which fill both workers to the end.
    scope, tests = unit
    return (not scope.startswith(FIRST), "::" in scope, -len(tests))


def pytest_xdist_make_scheduler(config, log):
    """xdist's own `loadgroup` reads `xdist_group` marks by renaming each test's node id, which
    pytest 9 ignores (every test became a unit of its own, every module's fixtures were set up
    on both workers): the units are made here, from the node ids, and given out in the order
    of `_given_first`."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from collections import OrderedDict

    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):
        holding = False

        def _split_scope(self, nodeid: str) -> str:
            if not hasattr(self, "positions"):
                self.positions, seen = {}, Counter()
                for test in self.collection:
                    path = test.split("::", 1)[0]
                    self.positions[test] = seen[path]
                    seen[path] += 1
            return unit_of_work(nodeid, self.positions.get(nodeid, 0))

        def _assign_work_unit(self, node) -> None:
            if not self.holding:
                super()._assign_work_unit(node)

        def schedule(self) -> None:
            if self.collection is not None:
                return super().schedule()
            self.holding = True  # xdist builds the queue and gives out nothing yet
            try:
                super().schedule()
            finally:
                self.holding = False
            if not self.workqueue:
                return None
            self.workqueue = OrderedDict(sorted(self.workqueue.items(), key=_given_first))
            for node in self.nodes:
                self._assign_work_unit(node)
            for node in self.nodes:
                self._reschedule(node)
            return None

    return Units(config, log)


def pytest_addoption(parser):
    parser.addoption("--at", default=None, metavar="INSTANT",
                     help="run the tests marked `dated` with the clock at this instant "
                          "(ISO 8601; Paris time without an offset)")
    parser.addoption("--every-test", action="store_true",
                     help="with --at: every test collected, not only those marked `dated`")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "dated: the outcome can depend on the date: runs at every instant of the "
                   "date sweep (tests/sweep.py)")
    config.addinivalue_line(
        "markers", "service_worker: an end-to-end test of the offline service worker (blocked "
                   "in the browser contexts of every other test: tests/e2e/conftest.py)")
    at = config.getoption("--at")
    if at:
        from tests import sweep

        # Time goes on, as it does for a member: from a few minutes before the instant while
        # the session's fixtures are built, from the instant once the first test runs.
        sweep.start(at)


def pytest_unconfigure(config):
    from tests import sweep

    sweep.stop()


def pytest_report_header(config):
    at = config.getoption("--at")
    if at:
        from shared import clock
        from tests import sweep

        return (f"date sweep: the tests run from {sweep.at().astimezone(clock.PARIS).isoformat()}"
                f", their setup {int(sweep.LEAD.total_seconds() // 60)} minutes before")
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    from tests import sweep

    sweep.arrive()


ORDER = pytest.StashKey[int]()


def _journeys_in_written_order(items):
    e2e = [i for i, item in enumerate(items) if item.path.parent.name == "e2e"]
    ordered = sorted((items[i] for i in e2e), key=lambda item: item.stash.get(ORDER, 0))
    for position, item in zip(e2e, ordered):
        items[position] = item


def _seed_before_the_instant(items):
    # The date sweep: a file built on the seeded world runs first, so that the seed (a session
    # fixture) is made in the minutes before the instant, not across it (tests/sweep.py, LEAD).
    first = next((item.path for item in items if "seeded" in item.fixturenames), None)
    if first is not None:
        items[:] = ([item for item in items if item.path == first]
                    + [item for item in items if item.path != first])


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    # Around every other plugin's hook (pytest-randomly's shuffle among them).
    for index, item in enumerate(items):
        item.stash[ORDER] = index
    result = yield
    _journeys_in_written_order(items)
    if config.getoption("--at") and not config.getoption("--every-test"):
        kept = [item for item in items if item.get_closest_marker("dated")]
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    if config.getoption("--at"):
        _seed_before_the_instant(items)
    return result


def pytest_terminal_summary(terminalreporter, config):
    from tests import sweep

    if sweep.late():
        terminalreporter.write_line(
            f"date sweep: the setup took longer than {sweep.LEAD}: the first test ran "
            f"{sweep.late():.0f} s after the instant", red=True)
    seed = getattr(config.option, "randomly_seed", None)
    if seed is not None and not hasattr(config, "workerinput"):
        terminalreporter.write_line(f"test order shuffled by pytest-randomly: replay it with "
                                    f"--randomly-seed={seed}")
