"""Logout ends the session at once (defect: after GlobalSignOut the access token still read
/members/me until it expired, because API Gateway's JWT authorizer does not check revocation).
Real tokens from the local stack's Cognito, through its gateway."""

import json
import urllib.error
import urllib.request

import pytest


@pytest.fixture(scope="module")
def stack(local_stack):
    return local_stack




def login(stack, email="paul.m@example.fr", password="Demo-Adherent-2026!"):
    return stack.member_sign_in(email, password)


def call(stack, path, token, method="GET", body=None):
    req = urllib.request.Request(stack.base_url + "/api" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def refresh(stack, tokens):
    return stack.cognito("InitiateAuth", {
        "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": stack.resources.client_id,
        "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}})[0]


def test_logout_ends_this_session_at_once_and_only_this_one(stack):
    this, other = login(stack), login(stack)
    assert call(stack, "/members/me", this["AccessToken"]) == 200
    assert call(stack, "/members/logout", this["AccessToken"], "POST", {}) == 204
    assert call(stack, "/members/me", this["AccessToken"]) == 401
    assert call(stack, "/claims", this["AccessToken"]) == 401
    assert call(stack, "/members/me", other["AccessToken"]) == 200


def test_logout_everywhere_ends_every_earlier_session(stack):
    first, second = login(stack), login(stack)
    assert call(stack, "/members/logout", first["AccessToken"], "POST",
                {"everywhere": True}) == 204
    # Signing in again as soon as it is answered: a new session, never refused with the
    # ended ones (tokens tell their time to the second; the answer waits its second out).
    again = login(stack)
    for tokens in (first, second):
        assert call(stack, "/members/me", tokens["AccessToken"]) == 401
        assert call(stack, "/claims/estimates", tokens["AccessToken"]) == 401
        # Cognito revoked the refresh tokens too: no session comes back.
        assert refresh(stack, tokens) == 400
    assert call(stack, "/members/me", again["AccessToken"]) == 200


def test_an_advisor_logout_ends_her_session_too(stack):
    tokens = stack.advisor_sign_in("conseiller@example.fr", "Demo-Conseiller-2026!")
    assert call(stack, "/support/advisor/duty", tokens["AccessToken"]) == 200
    # Her token is not a member's: the members' routes do not take it (their authorizer).
    assert call(stack, "/members/logout", tokens["AccessToken"], "POST", {}) == 401
    assert call(stack, "/support/advisor/logout", tokens["AccessToken"], "POST", {}) == 204
    assert call(stack, "/support/advisor/duty", tokens["AccessToken"]) == 401
    assert call(stack, "/support/advisor/logout", tokens["AccessToken"], "POST", {}) == 401
