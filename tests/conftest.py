"""How the suite is shared between two test workers (`-n 2 --dist loadgroup`, in `make test`):
each file stays on one worker, in order, with its module's fixtures set up once; the few long
parametrised gates are cut in two so that neither worker waits for the other at the end."""

import pytest

SPLIT = {"test_access_matrix.py", "test_call_budget.py"}


def pytest_collection_modifyitems(config, items):
    for index, item in enumerate(items):
        name = item.path.name
        group = f"{item.path.parent.name}/{name}"
        if name in SPLIT:
            group += f"#{index % 2}"
        item.add_marker(pytest.mark.xdist_group(group))
