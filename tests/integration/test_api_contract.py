"""The API contract gate: Schemathesis against the local stack, every operation of the OpenAPI
document generated from the code: the advisors' operations with an advisor's token (their
authorizer takes no other), every other one with a member's. No 5xx, every answer conforms to
the document (status, content type, body schema, headers), undeclared methods answer 405.
Bounded: a fixed seed, 6 examples an operation per round, and a time budget (`--max-time`)
that Schemathesis shares out between its phases and fills: coverage cases
(boundaries of every parameter) until their share is spent, then fuzzing, then stateful
chains. Measured alone on 2 cores (7 December 2026), the members' part: at 90 s, 30 s of
coverage, 50 of fuzzing, 10 of stateful (1,524 cases); at 70 s, 23, 38 and 8 (1,226
cases); at 55 s, 24, 24 and 7 (959); uncapped, fuzzing ends after 32 s (6 examples an
operation) and coverage after 199 s. At 70 s every operation still gets its round of
fuzzing. The whole gate now takes 97 s of one core (140 s before), in a run where every
second of a core is another test's."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.openapi import build
from tests.stack import ROOT, start_stack

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "6"))
# Seconds for the members' operations, the advisors' and the management system's.
SECONDS = int(os.environ.get("CONTRACT_SECONDS", "70"))
ADVISORS_SECONDS, SYSTEM_SECONDS = 15, 12
ADVISORS_PATHS = "^/support/advisor/"
SYSTEM_PATHS = "^/system/"  # signed by the management system (SigV4), no token


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """A stack of its own: Schemathesis creates and deletes things (Paul's)."""
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<h1>Accueil</h1>")
    running = start_stack(tmp_path_factory.mktemp("stack") / "state.json", site)
    yield running
    running.stop()


def token(stack) -> str:
    return stack.member_sign_in("paul.m@example.fr")["AccessToken"]


def run(stack, document: Path, access_token: str, seconds: int, selection: list[str],
        env: dict[str, str] | None = None):
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file",
        str(ROOT / "schemathesis.toml"), "run", str(document),
        "--url", f"{stack.base_url}/api", "-H", f"Authorization: Bearer {access_token}",
        "--checks", "all", "--max-examples", str(EXAMPLES), "--seed", "20261126",
        "--generation-database", "none", "--no-color", "--max-time", str(seconds),
        # Closing the session would end the run's own token: logout has its own tests.
        "--exclude-path", "/members/logout", "--exclude-path", "/support/advisor/logout",
        # Likewise closing one session: Schemathesis links the list's ids to the close route.
        "--exclude-path", "/members/me/sessions/{session_id}/close",
        "--exclude-path", "/support/advisor/sessions/{session_id}/close",
        *selection,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=420, cwd=ROOT,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]


def test_every_operation_keeps_the_contract(stack, tmp_path: Path):
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(build()))
    run(stack, document, token(stack), SECONDS,
        ["--exclude-path-regex", f"{ADVISORS_PATHS}|{SYSTEM_PATHS}"])
    advisor = stack.advisor_sign_in("conseiller@example.fr", "Demo-Conseiller-2026!")
    run(stack, document, advisor["AccessToken"], ADVISORS_SECONDS,
        ["--include-path-regex", ADVISORS_PATHS])
    # The management system's routes, each request SigV4-signed (tests/schemathesis_sigv4.py);
    # the member's token it also carries is ignored there. An unsigned call gets the gateway's
    # 403 (as API Gateway answers an IAM route), where Schemathesis's missing-header check
    # wants 401 for any Authorization header: the access matrix checks those calls instead.
    creds = stack.gestion
    run(stack, document, token(stack), SYSTEM_SECONDS, ["--include-path-regex", SYSTEM_PATHS,
                                            "--exclude-checks", "missing_required_header"],
        env={"SCHEMATHESIS_HOOKS": "tests.schemathesis_sigv4",
             "GESTION_ACCESS_KEY_ID": creds["access_key_id"],
             "GESTION_SECRET_ACCESS_KEY": creds["secret_access_key"],
             "GESTION_REGION": creds["region"]})
