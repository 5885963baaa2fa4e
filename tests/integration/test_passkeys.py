"""Passkeys through the members' and the advisors' routes (domain.passkeys), on the in-process
stack with Cognito's passkeys as infra/local/webauthn.py answers them and a software
authenticator (tests/webauthn_soft.py): adding one after the password, listing it, removing it
after a passkey; every refusal French, and nothing changed by it."""

from __future__ import annotations

import json

import boto3
import pytest

from tests.helpers import idempotency, sent_mail
from tests.integration.account_helpers import caller_of, new_member
from tests.webauthn_soft import SoftAuthenticator, tampered

ORIGIN = "https://espace-adherent.example.fr"  # the template's relying party, in-process
ADVISOR = "conseiller@example.fr"


class Member:
    """A member of her own, signed in for real (her bearer token reaches Cognito)."""

    def __init__(self, api) -> None:
        self.api, self.info = api, new_member(api)
        self.caller = caller_of(api, self.info)

    def call(self, method, path, body=None, headers=None):
        return self.api.call(method, path, body=body, claims=self.caller["claims"],
                             headers={**self.caller["headers"], **(headers or {})})


def items(api, pk: str, prefix: str) -> list[dict]:
    table = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])
    return table.query(KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                       ExpressionAttributeValues={":p": pk, ":s": prefix})["Items"]


def add(who, device, name="Mon téléphone", password="Demo-Adherent-2026!",
        base="/members/passkeys"):
    r = who.call("POST", f"{base}/options", {"password": password})
    assert r.status == 200, r.body
    credential = device.register(r.body["options"], origin=ORIGIN)
    r = who.call("POST", base, {"name": name, "credential": credential}, idempotency())
    assert r.status == 201, r.body
    return r.body


def passkey_proof(api, email: str, device, client: str | None = None, **bend) -> dict:
    """A passkey sign-in her browser starts with Cognito, answered by her device."""
    idp = boto3.client("cognito-idp", region_name="eu-west-3")
    started = idp.initiate_auth(ClientId=client or api.resources.client_id, AuthFlow="USER_AUTH",
                                AuthParameters={"USERNAME": email,
                                                "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    assert started["ChallengeName"] == "WEB_AUTHN", started
    options = started["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    response = device.sign_in(options, origin=ORIGIN)
    if bend.get("tamper"):
        response = tampered(response)
    return {"session": started["Session"], "credential": json.dumps(response)}


def mails_to(email: str) -> list[dict]:
    return [m for m in sent_mail() if email in m["to"]]


def test_a_member_adds_lists_and_removes_a_passkey(api):
    who = Member(api)
    device = SoftAuthenticator(origin=ORIGIN)
    assert who.call("GET", "/members/passkeys").body == {"items": [], "next": None}

    added = add(who, device)
    assert added["name"] == "Mon téléphone" and added["created_at"]
    listed = who.call("GET", "/members/passkeys")
    assert listed.status == 200 and listed.headers["Cache-Control"] == "no-store"
    [passkey] = listed.body["items"]
    assert passkey["id"] == added["id"] and passkey["name"] == "Mon téléphone"
    assert passkey["device"] == "Cet appareil (ordinateur ou téléphone)"

    member_pk = f"MEMBER#{who.info['member_id']}"
    [entry] = [i for i in items(api, member_pk, "AUDIT#") if i["action"] == "passkey_added"]
    assert entry["detail"] == "Mon téléphone" and entry["role"] == "member"
    mails = mails_to(who.info["email"])
    assert [m["subject"] for m in mails] == ["Une clé d'accès a été ajoutée à votre compte"]
    assert added["id"] not in mails[0]["body"] and "Mon téléphone" in mails[0]["body"]

    # Removed after one of her passkeys (no password typed).
    proof = passkey_proof(api, who.info["email"], device)
    r = who.call("POST", f"/members/passkeys/{passkey['id']}/delete", {"passkey": proof})
    assert r.status == 204, r.body
    assert who.call("GET", "/members/passkeys").body["items"] == []
    assert not items(api, f"ACCOUNT#{who.caller['claims']['sub']}", "PASSKEY#")
    [entry] = [i for i in items(api, member_pk, "AUDIT#") if i["action"] == "passkey_removed"]
    assert "clé d'accès" in entry["detail"]
    assert "Une clé d'accès a été supprimée de votre compte" in [
        m["subject"] for m in mails_to(who.info["email"])]


def test_a_double_submit_adds_one_passkey(api):
    who = Member(api)
    device = SoftAuthenticator(origin=ORIGIN)
    r = who.call("POST", "/members/passkeys/options", {"password": "Demo-Adherent-2026!"})
    body = {"name": "Tablette", "credential": device.register(r.body["options"], origin=ORIGIN)}
    key = idempotency()
    first = who.call("POST", "/members/passkeys", body, key)
    again = who.call("POST", "/members/passkeys", body, key)
    assert first.status == again.status == 201 and first.body == again.body
    assert len(who.call("GET", "/members/passkeys").body["items"]) == 1
    assert len(items(api, f"ACCOUNT#{who.caller['claims']['sub']}", "PASSKEY#")) == 1


def test_a_wrong_password_opens_no_registration_and_is_limited(api):
    who = Member(api)
    for _ in range(5):
        r = who.call("POST", "/members/passkeys/options", {"password": "Pas-le-bon-2026!"})
        assert r.status == 422 and r.body["code"] == "wrong_password", r.body
        assert r.body["fields"] == {"password": "mot de passe incorrect"}
    r = who.call("POST", "/members/passkeys/options", {"password": "Demo-Adherent-2026!"})
    assert r.status == 429 and int(r.headers["Retry-After"]) > 0
    assert "Trop d'essais de mot de passe" in r.body["message"]
    r = who.call("POST", "/members/passkeys/options", {})
    assert r.status == 422 and r.body["code"] == "proof_required"


@pytest.mark.parametrize("body, field", [
    ({"name": "x" * 41, "credential": {}}, "name"),
    ({"name": "Mon téléphone", "credential": "pas un objet"}, "credential"),
    ({"name": "Mon téléphone", "credential": ["a"]}, "credential"),
    ({"name": "   ", "credential": {}}, "name"),
])
def test_bad_input_is_a_400_and_changes_nothing(api, body, field):
    who = Member(api)
    r = who.call("POST", "/members/passkeys", body, idempotency())
    assert r.status == 400 and r.body["code"] == "invalid_input", r.body
    assert any(k.startswith(field) for k in r.body["fields"]), r.body
    assert not items(api, f"ACCOUNT#{who.caller['claims']['sub']}", "PASSKEY#")


def test_a_credential_that_answers_no_challenge_is_refused_in_french(api):
    who = Member(api)
    device = SoftAuthenticator(origin=ORIGIN)
    r = who.call("POST", "/members/passkeys/options", {"password": "Demo-Adherent-2026!"})
    # Made for another site: the origin is not the relying party's.
    credential = device.register(r.body["options"], origin="https://faux-site.example")
    r = who.call("POST", "/members/passkeys", {"name": "Piège", "credential": credential},
                 idempotency())
    assert r.status == 422 and r.body["code"] == "passkey_refused", r.body
    assert "rien n'a été enregistré" in r.body["message"]
    assert who.call("GET", "/members/passkeys").body["items"] == []


def test_a_tampered_passkey_proof_removes_nothing(api):
    who = Member(api)
    device = SoftAuthenticator(origin=ORIGIN)
    passkey = add(who, device)
    proof = passkey_proof(api, who.info["email"], device, tamper=True)
    r = who.call("POST", f"/members/passkeys/{passkey['id']}/delete", {"passkey": proof})
    assert r.status == 422 and r.body["code"] == "wrong_passkey", r.body
    r = who.call("POST", f"/members/passkeys/{passkey['id']}/delete",
                 {"password": "Pas-le-bon-2026!"})
    assert r.status == 422 and r.body["code"] == "wrong_password"
    assert [p["id"] for p in who.call("GET", "/members/passkeys").body["items"]] == [
        passkey["id"]]


def test_another_members_passkey_is_not_found(api):
    owner, other = Member(api), Member(api)
    passkey = add(owner, SoftAuthenticator(origin=ORIGIN))
    r = other.call("POST", f"/members/passkeys/{passkey['id']}/delete",
                   {"password": "Demo-Adherent-2026!"})
    assert r.status == 404 and r.body["code"] == "passkey_not_found", r.body
    assert len(owner.call("GET", "/members/passkeys").body["items"]) == 1


def test_an_advisor_adds_and_removes_her_passkey(api):
    class Advisor:
        def call(self, method, path, body=None, headers=None):
            return api.call(method, path, user=ADVISOR, body=body, headers=headers)

    who = Advisor()
    device = SoftAuthenticator(origin=ORIGIN)
    base = "/support/advisor/passkeys"
    added = add(who, device, name="Poste du bureau", password="Demo-Conseiller-2026!", base=base)
    [passkey] = who.call("GET", base).body["items"]
    assert passkey["name"] == "Poste du bureau"
    sub = api.demo["advisors"][ADVISOR]["sub"]
    [entry] = [i for i in items(api, f"ACCOUNT#{sub}", "AUDIT#")
               if i["action"] == "passkey_added"]
    assert entry["role"] == "advisor"
    assert "Une clé d'accès a été ajoutée à votre compte" in [
        m["subject"] for m in mails_to(ADVISOR)]
    proof = passkey_proof(api, ADVISOR, device, client=api.resources.advisors_client_id)
    r = who.call("POST", f"{base}/{added['id']}/delete", {"passkey": proof})
    assert r.status == 204, r.body
    assert who.call("GET", base).body["items"] == []
