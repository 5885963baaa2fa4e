"""The local stack as `make run` starts it, in its own process, for the tests that talk to it
over HTTP (a second moto in the test process would share the in-process mock's state)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from tests import sweep

ROOT = Path(__file__).resolve().parents[1]


class RunningStack:
    def __init__(self, proc: subprocess.Popen, state: dict,
                 site_dir: Path | None = None) -> None:
        self.proc = proc
        self.site_dir = site_dir  # read at each request: a test may add files there
        self.base_url = state["base_url"]
        # Passkeys' address (http://localhost:<port>): the relying party is `localhost`.
        self.passkey_url = state.get("passkey_url") or self.base_url.replace(
            "127.0.0.1", "localhost")
        self.port = int(self.base_url.rsplit(":", 1)[1])
        self.moto_url = state["moto_url"]
        self.resources = SimpleNamespace(**state["resources"])
        self.demo = state["demo"]
        self.signing_key_pem = state.get("signing_key_pem", "")
        self.env = state["env"]
        # The local management system's SigV4 credentials (routes with AWS_IAM auth).
        self.gestion = state.get("gestion_credentials") or {}

    def client(self, service: str):
        """A boto3 client of the stack's moto (what only an administrator could call)."""
        import boto3

        return boto3.client(service, endpoint_url=self.moto_url, region_name="eu-west-3",
                            aws_access_key_id="local", aws_secret_access_key="local")

    def cognito(self, action: str, body: dict) -> tuple[int, dict]:
        """One call to the stack's /cognito, as the site's scripts make it."""
        import urllib.error

        req = urllib.request.Request(
            self.base_url + "/cognito", method="POST", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/x-amz-json-1.1",
                     "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}"})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def member_sign_in(self, email: str, password: str = "Demo-Adherent-2026!") -> dict:
        """A member's tokens, through the stack's /cognito as the site signs her in (the
        demo members' password unless told)."""
        status, body = self.cognito("InitiateAuth", {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.resources.client_id,
            "AuthParameters": {"USERNAME": email, "PASSWORD": password}})
        assert status == 200, body
        return body["AuthenticationResult"]

    def advisor_sign_in(self, email: str, password: str, secret: str | None = None) -> dict:
        """An advisor's tokens: her pool's client, then her authenticator app's code (the demo
        secret unless told)."""
        import pyotp

        from infra.local.cognito import DEMO_TOTP_SECRET

        client = self.resources.advisors_client_id
        status, body = self.cognito("InitiateAuth", {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
            "AuthParameters": {"USERNAME": email, "PASSWORD": password}})
        assert status == 200 and body.get("ChallengeName") == "SOFTWARE_TOKEN_MFA", body
        status, body = self.cognito("RespondToAuthChallenge", {
            "ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": client,
            "Session": body["Session"], "ChallengeResponses": {
                "USERNAME": email,
                "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(secret or DEMO_TOTP_SECRET).now()}})
        assert status == 200, body
        return body["AuthenticationResult"]

    def new_advisor(self) -> tuple[str, str]:
        """An advisor account as an administrator creates it (in the advisors' pool and group,
        with its ACCOUNT item): no second factor enrolled yet. Its email and password."""
        import uuid

        email, password = f"recrue.{uuid.uuid4().hex[:8]}@example.fr", "Bienvenue-Conseil-2026!"
        idp, pool = self.client("cognito-idp"), self.resources.advisors_pool_id
        idp.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": email},
                                              {"Name": "email_verified", "Value": "true"}])
        idp.admin_set_user_password(UserPoolId=pool, Username=email, Password=password,
                                    Permanent=True)
        idp.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName="advisors")
        sub = next(a["Value"] for a in idp.admin_get_user(UserPoolId=pool, Username=email)[
            "UserAttributes"] if a["Name"] == "sub")
        self.client("dynamodb").put_item(
            TableName=self.resources.names["Table"],
            Item={"pk": {"S": f"ACCOUNT#{sub}"}, "sk": {"S": "ACCOUNT"},
                  "type": {"S": "account"}, "role": {"S": "advisor"},
                  "team": {"S": "gestion"}, "display_name": {"S": "Recrue N."}})
        return email, password

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_stack(state_file: Path, site_dir: Path | None = None,
                timeout: float = 300) -> RunningStack:
    """The local stack in its own process. It binds a free port itself and writes it to its
    state file: choosing a port here, then starting the stack, let the stack's own moto take
    that same port first (a flake: « Address already in use »). Five minutes at most: on a
    quiet machine it is ready in seconds, but six test runs on two cores took over 90 s."""
    env = {**os.environ, "LOCAL_STACK_STATE": str(state_file), "PYTHONUNBUFFERED": "1"}
    module = ["infra.local", "--port", "0", "--test-hooks"]
    if site_dir:
        module += ["--site-dir", str(site_dir)]
    if sweep.travelling():  # the date sweep: the stack lives at the tests' instant too
        from tests import travel

        sweep.arrive()  # a stack started in a test's setup: the clock at the instant first

        module = ["tests.travel", repr(travel.offset()), *module]
    state_file.unlink(missing_ok=True)
    # Its output goes to a file: a pipe nobody reads fills up (64 KiB of log lines in a long
    # run) and the stack's next write blocks the request that makes it — an upload's check
    # then hung until the test gave up.
    log = state_file.with_name("stack.log")
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", *module], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    proc.log = log
    deadline = time.monotonic() + timeout
    while True:
        try:
            state = json.loads(state_file.read_text() or "{}") if state_file.is_file() else {}
            if state.get("base_url"):
                with urllib.request.urlopen(state["base_url"] + "/config.json", timeout=2) as r:
                    json.loads(r.read())
                break
        except (OSError, ValueError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"local stack did not start:\n{log.read_text()[-8000:]}")
        time.sleep(0.2)
    return RunningStack(proc, json.loads(state_file.read_text()), site_dir)
