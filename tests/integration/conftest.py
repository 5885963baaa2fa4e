import copy

import pytest
from moto import mock_aws

from infra.local import bootstrap, cognito
from infra.local.dynamodb import isolated_dynamodb
from tests.helpers import OUTBOX, TEST_ENV, Api, deliver_outbox, environment, reset_caches

INTEGRATION_PLACES = 3000
# What the functions and the seed write: copied once seeded, given back to every module.
SERVICES = ("dynamodb", "s3", "cognitoidp", "ses", "sesv2", "secretsmanager")


def _snapshot() -> dict:
    from moto.backends import get_backend

    return {name: {account: {region: copy.deepcopy(backend)
                             for region, backend in regions.items()}
                   for account, regions in get_backend(name).items()}
            for name in SERVICES}


def _restore(snapshot: dict) -> None:
    from moto.backends import get_backend
    from moto.sqs import sqs_backends

    OUTBOX["after"] = snapshot["outbox_after"]
    for name, accounts in snapshot.items():
        if name not in SERVICES:
            continue
        backends = get_backend(name)
        for account, regions in accounts.items():
            for region, saved in regions.items():
                backends[account][region] = copy.deepcopy(saved)
    for regions in sqs_backends.values():  # queues stay (made from the template), emptied
        for backend in regions.values():
            for queue in backend.queues.values():
                queue._messages.clear()


@pytest.fixture(scope="session")
def seeded():
    """The AWS of template.yaml on moto with the demo seed, built once per test process (at the
    date sweep's instant, when there is one) and kept as a snapshot."""
    isolated_dynamodb()
    cognito.faithful()
    with mock_aws(), environment(TEST_ENV):
        resources = bootstrap.create_all(None, suffix="test")
        from infra.local import template

        env = dict(TEST_ENV)
        for function in template.resources("AWS::Serverless::Function"):
            env.update(resources.env(function))
        env["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
        with environment(env):
            from infra.local.seed import seed_demo

            # A smaller set of places than the local stack's.
            demo = seed_demo(resources, None, places=INTEGRATION_PLACES)
            # The seed's emails and events leave as they would on the local stack.
            OUTBOX["after"] = None
            deliver_outbox()
            snapshot = {**_snapshot(), "outbox_after": OUTBOX["after"]}
        yield resources, demo, env, snapshot


@pytest.fixture(scope="module")
def aws(seeded):
    """A fresh copy of the seeded AWS for one test module: what a module writes is gone for the
    next (as if each module had built and seeded its own). Giving the copy back takes a tenth
    to half a second; sharing one world across a worker's modules instead would let them see
    each other's leftovers (Fatima's lists past a page of 100, her password-check counters,
    her closed sessions, the mailbox)."""
    resources, demo, env, snapshot = seeded
    _restore(snapshot)
    with environment(env):
        reset_caches()
        yield Api(resources, demo)


@pytest.fixture(scope="module")
def api(aws):
    return aws


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    """The local stack in its own process, with a one-page site."""
    from tests.stack import start_stack

    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<h1>Accueil</h1>")
    (site / "404.html").write_text("<h1>Introuvable</h1>")
    running = start_stack(tmp_path_factory.mktemp("stack") / "state.json", site)
    yield running
    running.stop()
