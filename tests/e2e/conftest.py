"""End-to-end: the local stack as `make run` starts it, driven in Debian's Chromium."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from infra.local.server import SITE_DIR
from tests.e2e.helpers import COUNT_FETCHES

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
# Waiting for what a member would see: generous, because the first call of each function in
# a fresh stack imports its code, and two test workers share the machine's cores.
expect.set_options(timeout=15_000)
FATIMA = ("fatima.l@example.fr", "Demo-Adherent-2026!")
PAUL = ("paul.m@example.fr", "Demo-Adherent-2026!")
ADVISOR = ("conseiller@example.fr", "Demo-Conseiller-2026!")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    from tests.stack import start_stack

    if not (SITE_DIR / "index.html").is_file():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
                       cwd=ROOT / "site", check=True)
    state = tmp_path_factory.mktemp("stack") / "state.json"
    running = start_stack(state)
    yield {"base_url": running.base_url, "state": state, "stack": running}
    running.stop()


# Whether the running test is marked `service_worker` (set before each test's fixtures).
_RUNNING = {"service_worker": False}


def pytest_runtest_setup(item):
    _RUNNING["service_worker"] = item.get_closest_marker("service_worker") is not None


def _service_workers_only_where_tested(b):
    """Every context a test opens (its own fixtures' too) blocks service workers unless the
    test is marked `service_worker`: the member space's worker installs itself in each new
    context and fetches its three dozen offline files from the stack, for tests that never go
    offline. The offline tests keep it (tests/e2e/test_contract.py)."""
    def wrap(method):
        def call(*args, **options):
            options.setdefault("service_workers",
                               "allow" if _RUNNING["service_worker"] else "block")
            return method(*args, **options)
        return call

    b.new_context = wrap(b.new_context)
    b.new_page = wrap(b.new_page)
    return b


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        yield _service_workers_only_where_tested(b)
        b.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, stack, viewport):
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", accept_downloads=True,
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    context.add_init_script(COUNT_FETCHES)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # No third-party request, ever: fonts, scripts and data all come from our own origin.
    pg.on("request", lambda req: errors.append(f"third-party request: {req.url}")
          if not req.url.startswith((stack["base_url"], "data:", "blob:")) else None)
    # Answers the pages show as messages (a closed access's 403 too) are not errors.
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not any(
        f"status of {code}" in msg.text for code in ("400", "401", "403", "404", "409", "422"))
        else None)
    yield pg
    context.close()
    assert not errors, f"errors in the page: {errors}"


ADVISORS = {"conseiller@example.fr", "conseillere2@example.fr"}


def totp_now() -> str:
    import pyotp

    from infra.local.cognito import DEMO_TOTP_SECRET

    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


def login_with_form(page, who=FATIMA):
    """Signs in by typing in the sign-in page, as a member does (the tests of that page); an
    advisor then types her authenticator app's code."""
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(who[0])
    page.get_by_label("Mot de passe", exact=True).fill(who[1])
    page.get_by_role("button", name="Se connecter").click()
    if who[0] in ADVISORS:
        page.get_by_label("Code de votre application d'authentification").fill(totp_now())
        page.get_by_role("button", name="Valider").click()


def _cognito(page, action: str, body: dict):
    return page.request.post("/cognito", data=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}"})


def login(page, who=FATIMA):
    """Signs in as the sign-in page does — Cognito's USER_PASSWORD_AUTH through the site's
    /cognito, the tokens in this tab's session — then opens the space's landing page, without
    typing in the form (the form has its own tests): one page load less for every journey."""
    config = page.request.get("/config.json").json()
    client_id = config["advisorsClientId"] if who[0] in ADVISORS else config["clientId"]
    answer = _cognito(page, "InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": who[0], "PASSWORD": who[1]}})
    assert answer.ok, answer.text()
    if answer.json().get("ChallengeName") == "SOFTWARE_TOKEN_MFA":  # an advisor's pool
        answer = _cognito(page, "RespondToAuthChallenge", {
            "ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": client_id,
            "Session": answer.json()["Session"],
            "ChallengeResponses": {"USERNAME": who[0], "SOFTWARE_TOKEN_MFA_CODE": totp_now()}})
        assert answer.ok, answer.text()
    result = answer.json()["AuthenticationResult"]
    claims = json.loads(base64.urlsafe_b64decode(result["AccessToken"].split(".")[1] + "=="))
    advisor = "advisors" in (claims.get("cognito:groups") or [])
    # Written before the landing page's own scripts run, for that one navigation only.
    seeding = page.add_init_script(f"""sessionStorage.setItem("ea.session", JSON.stringify({{
        clientId: {json.dumps(client_id)},
        accessToken: {json.dumps(result["AccessToken"])},
        idToken: {json.dumps(result.get("IdToken"))},
        refreshToken: {json.dumps(result.get("RefreshToken"))},
        expiresAt: Date.now() + {int(result.get("ExpiresIn", 3600))} * 1000}}));""")
    try:
        page.goto("/conseiller/" if advisor else "/espace/remboursements/")
    finally:
        seeding.close()


@pytest.fixture
def advisor(browser, stack, viewport):
    """An advisor signed in, in a browser context of her own (another person, another device)."""
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    login(pg, ADVISOR)
    expect(pg).to_have_url(re.compile(r"/conseiller/$"))
    yield pg
    context.close()
    assert not errors, errors
