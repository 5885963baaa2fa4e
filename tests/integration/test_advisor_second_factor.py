"""Advisors behind a second factor (issue 17, defect 6): they had a password only, shared the
members' app client, and could reset it through the public page. Now they sign in to a pool of
their own that asks every sign-in for the code of an authenticator app (TOTP), enrolled at the
first sign-in; the advisor routes take only that pool's tokens; the members' pages reach no
advisor account. Replayed on the local stack, whose Cognito checks the codes as AWS does."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pyotp
import pytest

from infra.local.cognito import DEMO_TOTP_SECRET
from shared import clock
from shared.identity import caller_from_claims
from tests.helpers import idempotency

ADVISOR = ("conseiller@example.fr", "Demo-Conseiller-2026!")


@pytest.fixture(scope="module")
def stack(local_stack):
    return local_stack


def api(stack, method: str, path: str, token: str | None = None,
        body: dict | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **idempotency()}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(stack.base_url + "/api" + path, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def start(stack, email: str, password: str, client: str | None = None) -> tuple[int, dict]:
    return stack.cognito("InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client or stack.resources.advisors_client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": password}})


def answer(stack, email: str, session: str, code: str) -> tuple[int, dict]:
    return stack.cognito("RespondToAuthChallenge", {
        "ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": stack.resources.advisors_client_id,
        "Session": session,
        "ChallengeResponses": {"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code}})


def wrong_code(secret: str) -> str:
    """A 6-digit code that is none of those the app shows around now."""
    right = {pyotp.TOTP(secret).at(clock.epoch() + drift) for drift in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{n:06d}" for n in range(1, 10)) if c not in right)


def test_a_password_alone_gives_an_advisor_no_token(stack):
    status, body = start(stack, *ADVISOR)
    assert status == 200 and body["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert "AuthenticationResult" not in body
    bad, refused = answer(stack, ADVISOR[0], body["Session"], wrong_code(DEMO_TOTP_SECRET))
    assert bad == 400 and refused["__type"].endswith("CodeMismatchException"), refused
    status, body = start(stack, *ADVISOR)
    status, tokens = answer(stack, ADVISOR[0], body["Session"],
                            pyotp.TOTP(DEMO_TOTP_SECRET).now())
    assert status == 200, tokens
    token = tokens["AuthenticationResult"]["AccessToken"]
    assert api(stack, "GET", "/support/advisor/queue", token)[0] == 200
    # Her token is for the advisors' routes only.
    assert api(stack, "GET", "/members/profile", token)[0] == 401


def test_an_advisor_password_opens_nothing_on_the_members_side(stack):
    status, body = start(stack, *ADVISOR, client=stack.resources.client_id)
    assert status == 400 and body["__type"] == "NotAuthorizedException", body
    # « Mot de passe oublié » is the members': no code for an advisor's address.
    status, _ = api(stack, "POST", "/public/password-resets", body={"email": ADVISOR[0]})
    assert status == 202
    with urllib.request.urlopen(stack.base_url + "/local/courriels.json") as r:
        mails = [m for m in json.loads(r.read())["items"] if ADVISOR[0] in m["to"]]
    assert mails and mails[0]["subject"] == "Votre demande de nouveau mot de passe"
    assert not re.search(r"^\s+\d{6}\s*$", mails[0]["body"], re.M)  # no code in it


def test_the_first_sign_in_enrols_the_authenticator_app_before_any_token(stack):
    email, password = stack.new_advisor()
    status, body = start(stack, email, password)
    assert status == 200 and body["ChallengeName"] == "MFA_SETUP", body
    assert "AuthenticationResult" not in body
    session = body["Session"]
    # Skipping the enrolment gives nothing.
    status, skipped = stack.cognito("RespondToAuthChallenge", {
        "ChallengeName": "MFA_SETUP", "ClientId": stack.resources.advisors_client_id,
        "Session": session, "ChallengeResponses": {"USERNAME": email}})
    assert status == 400 and "AuthenticationResult" not in skipped, skipped
    status, setup = stack.cognito("AssociateSoftwareToken", {"Session": session})
    assert status == 200, setup
    secret = setup["SecretCode"]
    assert secret != DEMO_TOTP_SECRET and len(secret) >= 16
    status, refused = stack.cognito("VerifySoftwareToken", {
        "Session": setup["Session"], "UserCode": wrong_code(secret)})
    assert status == 400, refused
    status, verified = stack.cognito("VerifySoftwareToken", {
        "Session": setup["Session"], "UserCode": pyotp.TOTP(secret).now()})
    assert status == 200 and verified["Status"] == "SUCCESS", verified
    status, tokens = stack.cognito("RespondToAuthChallenge", {
        "ChallengeName": "MFA_SETUP", "ClientId": stack.resources.advisors_client_id,
        "Session": verified["Session"], "ChallengeResponses": {"USERNAME": email}})
    assert status == 200, tokens
    token = tokens["AuthenticationResult"]["AccessToken"]
    assert api(stack, "GET", "/support/advisor/duty", token)[0] == 200
    # From now on, every sign-in asks for the app's code.
    status, body = start(stack, email, password)
    assert body["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    status, again = answer(stack, email, body["Session"], pyotp.TOTP(secret).now())
    assert status == 200, again


def test_a_members_token_never_reaches_an_advisor_route_nor_enrols_anything(stack):
    status, body = start(stack, "paul.m@example.fr", "Demo-Adherent-2026!",
                         client=stack.resources.client_id)
    token = body["AuthenticationResult"]["AccessToken"]
    assert api(stack, "GET", "/support/advisor/queue", token)[0] == 401
    assert stack.cognito("AssociateSoftwareToken", {"AccessToken": token})[0] == 403


def test_only_the_advisors_client_makes_an_advisor(aws):
    """Behind the gateway too: a token of the members' client is never an advisor's, whatever
    its groups say, and an advisor's account signed in another way is refused."""
    from shared import identity

    advisor = aws.demo["advisors"][ADVISOR[0]]["sub"]
    claims = aws.claims_for(ADVISOR[0])
    assert caller_from_claims(claims).role == "advisor"
    identity._accounts.clear()
    with pytest.raises(identity.Forbidden):
        caller_from_claims({**claims, "client_id": aws.resources.client_id})
    member = aws.claims_for("fatima.l@example.fr")
    with pytest.raises(identity.Forbidden):
        caller_from_claims({**member, "cognito:groups": ["advisors"]})
    assert advisor
