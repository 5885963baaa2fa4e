import pytest
from moto import mock_aws

from infra.local import bootstrap
from infra.local.dynamodb import isolated_dynamodb
from tests.helpers import TEST_ENV, Api, environment

INTEGRATION_PLACES = 3000


@pytest.fixture(scope="module")
def aws():
    """A fresh moto AWS built from template.yaml, with the demo seed, for one test module."""
    isolated_dynamodb()
    with mock_aws(), environment(TEST_ENV):
        resources = bootstrap.create_all(None, suffix="test")
        import os

        from infra.local import template

        for function in template.resources("AWS::Serverless::Function"):
            os.environ.update(resources.env(function))
        os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
        from infra.local.seed import seed_demo

        # A smaller set of places than the local stack's: seeded for every module.
        demo = seed_demo(resources, None, places=INTEGRATION_PLACES)
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
