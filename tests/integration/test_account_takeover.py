"""No way into an account but its owner's (issue 17): the attacks a probe ran, replayed.

- Cognito answers a browser exactly what the site's scripts call (the local /cognito endpoint
  here, the user pool's web ACL on AWS): a made-up code no longer sets a password, a stolen
  access token no longer changes the password or the email around the members function.
- A stolen access token (no password) tries every credential-changing route and Cognito
  self-service call, and changes nothing.
- Every attempt counts, whatever the concurrency: tries of a code read by requests sent at
  once each use a try; password checks are limited per account, bursts too.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import botocore.session
import pytest

from infra.local import template
from infra.local.server import COGNITO_BROWSER_ACTIONS
from tests.helpers import idempotency
from tests.integration.account_helpers import (
    audit_actions,
    caller_of,
    code_from,
    item,
    mails_to,
    new_member,
    sign_in,
)

SITE_JS = Path(__file__).resolve().parents[2] / "site" / "docs" / "assets" / "js"
PASSWORD = "Demo-Adherent-2026!"  # noqa: S105 - the demo members' password
PIRATE = "Pirate-Mot-De-Passe-2026"  # noqa: S105


# ------------------------------------------------------------------ what a browser may call
def site_cognito_calls() -> set[str]:
    calls = set()
    for script in SITE_JS.rglob("*.js"):
        calls |= set(re.findall(r"\bcognito\(\s*[\"'`](\w+)[\"'`]", script.read_text()))
    return calls


def _acl(pool: str) -> dict:
    association = next(a for a in template.resources("AWS::WAFv2::WebACLAssociation").values()
                       if a["ResourceArn"] == {"Fn::GetAtt": [pool, "Arn"]})
    acl = template.resources("AWS::WAFv2::WebACL")[association["WebACLArn"]["Fn::GetAtt"][0]]
    assert acl["DefaultAction"] == {"Block": {}}
    for rule in acl["Rules"]:
        assert rule["Action"] == {"Allow": {}}
    return acl


def _targets(statements: list[dict]) -> set[str]:
    prefix = "AWSCognitoIdentityProviderService."
    allowed = set()
    for statement in statements:
        match = statement["ByteMatchStatement"]
        assert match["FieldToMatch"] == {"SingleHeader": {"Name": "x-amz-target"}}
        assert match["PositionalConstraint"] == "EXACTLY"
        allowed.add(match["SearchString"].removeprefix(prefix))
    return allowed


def web_acl_allows(pool: str) -> set[str]:
    """What the web ACL associated with `pool` lets through from a browser (and that it
    blocks the rest)."""
    return {action for rule in _acl(pool)["Rules"] if "OrStatement" in rule["Statement"]
            for action in _targets(rule["Statement"]["OrStatement"]["Statements"])}


def web_acl_relays(pool: str) -> set[str]:
    """What the web ACL of `pool` lets through only with the functions' relay secret."""
    relayed = set()
    for rule in _acl(pool)["Rules"]:
        if "OrStatement" in rule["Statement"]:
            continue
        targets, header = rule["Statement"]["AndStatement"]["Statements"]
        match = header["ByteMatchStatement"]
        assert match["FieldToMatch"] == {"SingleHeader": {"Name": "x-ea-relay"}}
        assert match["PositionalConstraint"] == "EXACTLY"
        assert match["SearchString"] == {
            "Fn::Sub": "{{resolve:secretsmanager:${CognitoRelaySecret}}}"}
        relayed |= _targets(targets["OrStatement"]["Statements"])
    return relayed


def test_a_browser_may_call_exactly_what_the_site_calls():
    """The gate fails when a script starts calling something new: the web ACLs of the pools
    on AWS (and the local stack, which reads them) are then to be widened, knowingly. Members
    sign in (a password, or a passkey: USER_AUTH then the WEB_AUTHN challenge's answer) and
    out; advisors also answer and enrol their second factor. The passkeys' own actions pass
    only with the functions' relay secret, which no script has."""
    called = site_cognito_calls()
    members, advisors = web_acl_allows("UserPool"), web_acl_allows("AdvisorsUserPool")
    assert members == {"InitiateAuth", "RevokeToken", "RespondToAuthChallenge"}
    assert members | advisors == called
    assert advisors - members == {"AssociateSoftwareToken", "VerifySoftwareToken"}
    assert set(COGNITO_BROWSER_ACTIONS) == members
    passkeys = {"StartWebAuthnRegistration", "CompleteWebAuthnRegistration",
                "ListWebAuthnCredentials", "DeleteWebAuthnCredential"}
    assert web_acl_relays("UserPool") == web_acl_relays("AdvisorsUserPool") == passkeys
    assert not passkeys & called
    pools = set(template.resources("AWS::Cognito::UserPool"))
    associated = {a["ResourceArn"]["Fn::GetAtt"][0]
                  for a in template.resources("AWS::WAFv2::WebACLAssociation").values()}
    assert associated == pools == {"UserPool", "AdvisorsUserPool"}


def test_tokens_write_nothing_of_the_account_and_an_email_waits_for_its_code():
    for client in template.resources("AWS::Cognito::UserPoolClient").values():
        assert client["WriteAttributes"] == ["locale"]
    pool = template.resources("AWS::Cognito::UserPool")["UserPool"]
    assert pool["UserAttributeUpdateSettings"] == {
        "AttributesRequireVerificationBeforeUpdate": ["email"]}




def signs_in(stack, email: str, password: str) -> str | None:
    status, body = stack.cognito("InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.resources.client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": password}})
    return body["AuthenticationResult"]["AccessToken"] if status == 200 else None


def api(stack, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(
        stack.base_url + "/api" + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 **idempotency()})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@pytest.fixture
def paul(local_stack):
    """Paul, his password counter cleared after the test (the local stack is shared)."""
    email = "paul.m@example.fr"
    yield email
    idp = local_stack.client("cognito-idp")
    sub = next(a["Value"] for a in idp.admin_get_user(
        UserPoolId=local_stack.resources.user_pool_id, Username=email)["UserAttributes"]
        if a["Name"] == "sub")
    whom = f"password#{hashlib.sha256(sub.encode()).hexdigest()[:40]}"
    ddb = local_stack.client("dynamodb")
    table = local_stack.resources.names["Table"]
    found = ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": f"LIMIT#{whom}"}})["Items"]
    for entry in found:
        ddb.delete_item(TableName=table, Key={"pk": entry["pk"], "sk": entry["sk"]})


def all_cognito_actions() -> list[str]:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return sorted(model.operation_names)


def test_every_other_cognito_call_is_refused_and_changes_nothing(local_stack, paul):
    """Defect 1: ConfirmForgotPassword with a made-up code set a member's password; any other
    call a browser does not need is refused the same way (as the web ACL blocks it)."""
    stack = local_stack
    token = signs_in(stack, paul, PASSWORD)
    assert token
    refused = {}
    for action in all_cognito_actions():
        if action in COGNITO_BROWSER_ACTIONS:
            continue
        body = {"ClientId": stack.resources.client_id, "UserPoolId":
                stack.resources.user_pool_id, "Username": paul, "AccessToken": token,
                "ConfirmationCode": "123456", "Password": PIRATE, "PreviousPassword": PASSWORD,
                "ProposedPassword": PIRATE, "UserAttributes": [
                    {"Name": "email", "Value": "pirate@example.fr"}]}
        refused[action] = stack.cognito(action, body)
    wrong = {a: r for a, r in refused.items()
             if r != (403, {"__type": "ForbiddenException",
                            "message": "Request not allowed due to WAF block."})}
    assert not wrong, wrong
    assert {"ConfirmForgotPassword", "ChangePassword", "UpdateUserAttributes", "ConfirmSignUp",
            "SetUserMFAPreference", "DeleteUser", "AdminSetUserPassword"} <= set(refused)
    assert signs_in(stack, paul, PIRATE) is None
    assert signs_in(stack, "pirate@example.fr", PASSWORD) is None
    assert signs_in(stack, paul, PASSWORD)


def test_a_stolen_access_token_changes_no_credential(local_stack, paul):
    """Defects 3 and 4, the access matrix's « stolen token » row: with her access token and
    without her password, nothing that signs in or receives money changes."""
    stack = local_stack
    token = signs_in(stack, paul, PASSWORD)
    before = api(stack, "GET", "/members/profile", token)[1]
    requests_before = api(stack, "GET", "/support/requests", token)[1]

    attempts = {
        "email, no password": api(stack, "POST", "/members/email-changes", token,
                                  {"email": "pirate@example.fr"}),
        "email, a guess": api(stack, "POST", "/members/email-changes", token,
                              {"email": "pirate@example.fr", "password": "Devine-2026-!"}),
        "password": api(stack, "POST", "/members/password", token,
                        {"current_password": "Devine-2026-!", "new_password": PIRATE}),
        "bank details": api(stack, "POST", "/contract/bank-details", token, {
            "target": "contribution", "iban": "FR7630006000011234567890189",
            "holder": "Pirate", "password": "Devine-2026-!", "upload_ids": []}),
    }
    for name, (status, body) in attempts.items():
        assert status in (400, 422), (name, status, body)
        assert "fields" in body or "message" in body
    for action, body in {
        "ChangePassword": {"AccessToken": token, "PreviousPassword": "x",
                           "ProposedPassword": PIRATE},
        "UpdateUserAttributes": {"AccessToken": token, "UserAttributes": [
            {"Name": "email", "Value": "pirate@example.fr"}]},
        "AssociateSoftwareToken": {"AccessToken": token},
        "SetUserMFAPreference": {"AccessToken": token,
                                 "SoftwareTokenMfaSettings": {"Enabled": False}},
    }.items():
        assert stack.cognito(action, body)[0] == 403, action

    after = api(stack, "GET", "/members/profile", token)[1]
    assert after["email"] == before["email"] == paul
    assert after["pending_email"] is None
    assert api(stack, "GET", "/support/requests", token)[1] == requests_before
    assert signs_in(stack, paul, PASSWORD) and signs_in(stack, paul, PIRATE) is None
    with urllib.request.urlopen(stack.base_url + "/local/courriels.json") as r:
        mails = json.loads(r.read())["items"]
    assert not [m for m in mails if "pirate@example.fr" in m["to"]]


def test_password_guesses_sent_at_once_are_each_counted(local_stack, paul):
    """Defect 7: the bank-details form answered « wrong password » without limit. Ten guesses
    at once on the same account: five are judged, the others get 429 with when to retry, and
    then even the right password waits."""
    stack = local_stack
    token = signs_in(stack, paul, PASSWORD)

    def guess(n: int) -> tuple[int, dict]:
        return api(stack, "POST", "/members/password", token,
                   {"current_password": f"Devine-{n}-2026!", "new_password": PIRATE})

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(guess, range(10)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [422] * 5 + [429] * 5, answers
    limited = next(body for status, body in answers if status == 429)
    assert limited["code"] == "too_many_attempts" and "réessayez dans" in limited["message"]
    status, body = api(stack, "POST", "/members/email-changes", token,
                       {"email": "paul.nouvelle@example.fr", "password": PASSWORD})
    assert status == 429, body
    assert signs_in(stack, paul, PASSWORD) and signs_in(stack, paul, PIRATE) is None


# ------------------------------------------------------------------ codes tried at once
def test_tries_of_a_code_sent_at_once_each_use_a_try(api, monkeypatch):
    """Defect 5: requests sent at once all read the code's item before any wrote; each used
    to count down from what it read, and only one write landed. Two bursts of five wrong
    codes, then the right one, changed the address. Here each request reads the same item
    (as at once), and every try is used."""
    from members.logic import profile

    member = new_member(api)
    who = caller_of(api, member)
    new = f"rafale.{member['member_id']}@example.fr"
    r = api.call("POST", "/members/email-changes", body={"email": new, "password": PASSWORD},
                 claims=who["claims"], headers={**who["headers"],
                                                **idempotency()})
    assert r.status == 201, r.body
    code = code_from(mails_to(new)[0])
    read_once = profile._file(member["member_id"])
    monkeypatch.setattr(profile, "_file", lambda member_id: read_once)

    def confirm(typed: str):
        return api.call("POST", "/members/email-changes/confirm", body={"code": typed},
                        claims=who["claims"], headers=who["headers"])

    wrong = "000000"
    answers = [confirm(wrong).body["code"] for _ in range(5)]
    assert answers == ["wrong_code"] * 4 + ["code_exhausted"]
    assert confirm(code).body["code"] == "code_exhausted"
    monkeypatch.undo()
    assert api.call("GET", "/members/profile", claims=who["claims"],
                    headers=who["headers"]).body["email"] == member["email"]
    assert "email_changed" not in audit_actions(api, member["member_id"])


def test_tries_of_a_reset_code_sent_at_once_each_use_a_try(api, monkeypatch):
    from members import repository
    from members.logic import account

    member = new_member(api)
    r = api.call("POST", "/public/password-resets", body={"email": member["email"]},
                 headers=idempotency())
    assert r.status == 202, r.body
    code = code_from(mails_to(member["email"])[0])
    read_once = item(api, *account._reset_key(member["email"]))
    monkeypatch.setattr(repository, "get", lambda pk, sk: dict(read_once))
    for _ in range(5):
        answer = api.call("POST", "/public/password-resets/confirm", body={
            "email": member["email"], "code": "000000", "new_password": PIRATE})
        assert answer.status == 422 and answer.body["code"] == "invalid_code"
    answer = api.call("POST", "/public/password-resets/confirm", body={
        "email": member["email"], "code": code, "new_password": PIRATE})
    assert answer.status == 422 and answer.body["code"] == "invalid_code"
    assert sign_in(api, member["email"], PIRATE) is None
    assert sign_in(api, member["email"], member["password"]) is not None
