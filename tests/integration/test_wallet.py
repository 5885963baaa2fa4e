"""The card in the phone's wallet, in-process under moto: the passes issued from the card page,
Apple's pass web service as Apple's devices call it, the pass following the card (a
beneficiary added by the management system's Coverage, the end of cover, the new year) with
its pushes through the sandbox provider, and revocation at « Me déconnecter partout »."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
import requests

from shared import clock
from tests.helpers import GESTION, idempotency
from tests.wallet_helpers import (
    APPLE,
    PASS_TYPE,
    body_bytes,
    deliver_wallet_updates,
    pass_of,
    secret,
    unzip,
    wallet_reader,
)

FATIMA = "2024001871"
OTHER = "paul.m@example.fr"


@pytest.fixture(scope="module")
def stream(api):
    """The stream position before this module's writes (the seed's records are history)."""
    reader = wallet_reader()
    while reader.poll_once():
        pass
    return {"after": reader.last_sequence}


def updates(stream) -> None:
    stream["after"] = deliver_wallet_updates(stream["after"])


def apple_pass(api, key: str | None = None, user: str = "fatima.l@example.fr") -> tuple[
        dict, dict, bytes]:
    r = api.post("/contract/card/wallet/apple", {}, headers=idempotency(key), user=user)
    assert r.status == 201, r.body
    got = requests.get(r.body["url"], timeout=10)
    assert got.status_code == 200
    return r.body, pass_of(got.content), got.content


def auth(p: dict) -> dict:
    return {"authorization": f"ApplePass {p['authenticationToken']}"}


def pushes(serial: str) -> list[dict]:
    from contract import repository

    return repository.wallet_pushes(serial)


def test_the_card_page_offers_both_wallets(api):
    r = api.get("/contract/card/wallet")
    assert r.status == 200
    assert r.body["apple"]["available"] and r.body["google"]["available"]


def test_the_apple_pass_carries_the_card_and_its_check(api):
    card = api.get("/contract/card").body
    link, p, data = apple_pass(api)
    assert link["filename"].endswith(".pkpass")
    assert p["formatVersion"] == 1 and p["passTypeIdentifier"] == PASS_TYPE
    assert p["teamIdentifier"] and p["organizationName"] == card["brand_name"]
    assert p["barcodes"][0]["format"] == "PKBarcodeFormatQR"
    assert p["barcodes"][0]["message"] == card["check_url"]  # the existing code
    assert p["webServiceURL"].endswith("/api/public/wallet/apple")
    assert len(p["authenticationToken"]) >= 16
    text = str(p)
    for holder in card["holders"]:
        assert holder["name"] in text
    assert card["member_number"] in text and card["amc_number"] in text
    assert card["tiers_payant_phone"] in text and "R – responsable" in text
    assert {"pass.json", "manifest.json", "signature", "icon.png", "icon@2x.png",
            "logo.png"} <= set(unzip(data))


def test_a_double_click_makes_one_pass(api):
    from domain import wallet

    before = len(wallet.member_passes(FATIMA))
    key = idempotency()["Idempotency-Key"]
    first = api.post("/contract/card/wallet/apple", {}, headers=idempotency(key))
    again = api.post("/contract/card/wallet/apple", {}, headers=idempotency(key))
    assert first.status == again.status == 201 and first.body == again.body
    assert len(wallet.member_passes(FATIMA)) == before + 1


def test_the_google_save_link_is_signed_by_the_issuer(api):
    card = api.get("/contract/card").body
    r = api.post("/contract/card/wallet/google", {}, headers=idempotency())
    assert r.status == 201, r.body
    assert r.body["save_url"].startswith("https://pay.google.com/gp/v/save/")
    token = r.body["save_url"].rsplit("/", 1)[1]
    keys = secret()
    claims = jwt.decode(token, keys["google_public_key"], algorithms=["RS256"],
                        audience="google")
    assert claims["iss"] == keys["google_service_account_email"]
    assert claims["typ"] == "savetowallet" and claims["origins"]
    obj = claims["payload"]["genericObjects"][0]
    assert obj["id"] == f"{keys['google_issuer_id']}.{r.body['serial']}"
    assert obj["barcode"]["value"] == card["check_url"] and obj["state"] == "ACTIVE"
    assert card["holders"][0]["name"] in str(obj["textModulesData"])
    # Signed by that key only: another key's signature is refused.
    with pytest.raises(jwt.InvalidSignatureError):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
        jwt.decode(token, other.public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo),
                   algorithms=["RS256"], audience="google")


def test_apples_web_service_protocol(api):
    _, p, _ = apple_pass(api)
    serial = p["serialNumber"]
    device = "a1b2c3d4e5f6device"
    path = f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}/{serial}"
    push = {"pushToken": "0f" * 32}
    # Wrong token: 401 as Apple expects; unknown serial: 404; nothing registered.
    wrong = api.call("POST", path, body=push, claims={},
                     headers={"authorization": "ApplePass not-the-right-token-at-all"})
    assert wrong.status == 401
    assert api.call("POST", path, body=push, claims={}).status == 401
    unknown = api.call("POST", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}/"
                       "UnknownSerial0000", body=push, claims={}, headers=auth(p))
    assert unknown.status == 404
    assert api.call("GET", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}",
                    claims={}).status == 204
    # Registered (201), again (200).
    assert api.call("POST", path, body=push, claims={}, headers=auth(p)).status == 201
    assert api.call("POST", path, body=push, claims={}, headers=auth(p)).status == 200
    listed = api.call("GET", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}", claims={})
    assert listed.status == 200 and listed.body["serialNumbers"] == [serial]
    since = listed.body["lastUpdated"]
    assert api.call("GET", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}",
                    query=f"passesUpdatedSince={since}", claims={}).status == 204
    # The latest pass, then 304 when not modified since.
    latest = api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={},
                      headers=auth(p))
    assert latest.status == 200
    assert latest.headers["Content-Type"] == "application/vnd.apple.pkpass"
    assert pass_of(body_bytes(latest.body))["serialNumber"] == serial
    modified = latest.headers["Last-Modified"]
    same = api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={},
                    headers={**auth(p), "if-modified-since": modified})
    assert same.status == 304
    assert api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={}).status == 401
    assert api.call("GET", f"{APPLE}/passes/other.type/{serial}", claims={},
                    headers=auth(p)).status == 404
    assert api.call("POST", f"{APPLE}/log", body={"logs": ["a line"]}, claims={}).status == 200
    # Unregistered: the device lists nothing any more.
    assert api.call("DELETE", path, claims={}, headers=auth(p)).status == 200
    assert api.call("GET", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}",
                    claims={}).status == 204


def _new_child(api) -> None:
    """The management system adds a child to Fatima's contract (Patient, then Coverage)."""
    from domain.fhir import outbound
    from domain.membership import forget, member_context

    forget()
    ctx = member_context(FATIMA)
    child = next(b for b in ctx.beneficiaries.values() if b.relationship == "child")
    born = clock.today() - timedelta(days=200)
    baby = child.model_copy(update={"id": "B09", "rank": "09", "first_name": "Lina",
                                    "birth_date": born, "nir": None})
    for resource in (outbound.patient(FATIMA, baby, None),
                     outbound.coverage(FATIMA, ctx.contracts[0], baby, subscriber_id="B01")):
        r = api.post("/system/fhir", resource, user=GESTION)
        assert r.status == 200, r.body


def test_the_pass_follows_the_card_then_is_voided(api, stream):

    updates(stream)
    _, p, _ = apple_pass(api)
    serial = p["serialNumber"]
    device = "phone0000fatima"
    path = f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}/{serial}"
    assert api.call("POST", path, body={"pushToken": "ab" * 32}, claims={},
                    headers=auth(p)).status == 201
    google = api.post("/contract/card/wallet/google", {}, headers=idempotency()).body["serial"]
    first = api.call("GET", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}", claims={})
    updates(stream)
    assert pushes(serial) == []  # nothing changed yet: no push

    _new_child(api)
    updates(stream)
    sent = pushes(serial)
    assert [(s["channel"], s["push_token"], s["topic"]) for s in sent] == [
        ("apns", "ab" * 32, PASS_TYPE)]
    assert [s["state"] for s in pushes(google)] == ["ACTIVE"]
    assert "Lina Lambert" in str(pushes(google)[0]["object"])
    changed = api.call("GET", f"{APPLE}/devices/{device}/registrations/{PASS_TYPE}",
                       query=f"passesUpdatedSince={first.body['lastUpdated']}", claims={})
    assert changed.status == 200 and changed.body["serialNumbers"] == [serial]
    newer = api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={},
                     headers={**auth(p), "if-modified-since": "Thu, 01 Jan 2026 00:00:00 GMT"})
    assert "Lina Lambert" in str(pass_of(body_bytes(newer.body)))



def test_logout_everywhere_voids_every_pass(api, stream):
    """« Me déconnecter partout » (a lost phone): every pass voided, pushed, and showing
    nothing of her. Paul's, so that Fatima's sessions stay open for the other tests."""
    from domain import wallet

    paul = api.demo["members"][OTHER]["member_id"]
    updates(stream)
    _, p, _ = apple_pass(api, user=OTHER)
    serial = p["serialNumber"]
    path = f"{APPLE}/devices/paulphone01/registrations/{PASS_TYPE}/{serial}"
    assert api.call("POST", path, body={"pushToken": "cd" * 32}, claims={},
                    headers=auth(p)).status == 201
    google = api.post("/contract/card/wallet/google", {}, headers=idempotency(),
                      user=OTHER).body["serial"]
    assert api.post("/members/logout", {"everywhere": True}, user=OTHER).status == 204
    assert [i.get("revoked") for i in wallet.member_passes(paul)] == [True, True]
    updates(stream)
    assert [s["push_token"] for s in pushes(serial)] == ["cd" * 32]
    assert pushes(google)[-1]["state"] == "INACTIVE"
    gone = api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={},
                    headers=auth(p))
    voided = pass_of(body_bytes(gone.body))
    assert voided["voided"] is True and "barcodes" not in voided
    text = str(voided) + str(pushes(google)[-1]["object"])
    assert paul not in text and "Martin" not in text and "né(e)" not in text


def test_the_end_of_cover_voids_the_pass_and_no_new_one_is_made(api, stream):
    from contract import repository
    from contract.logic import wallet as logic
    from domain.membership import forget
    from tests.helpers import reset_caches
    from tests.notices import set_end_date

    _, p, _ = apple_pass(api)
    serial = p["serialNumber"]
    updates(stream)
    issued = repository.wallet_pass(serial)["version"]
    from shared.repository import table

    # The management system ends her cover yesterday (a terminated Coverage writes the end).
    set_end_date(table(), FATIMA, (clock.today() - timedelta(days=1)).isoformat())
    reset_caches()
    try:
        updates(stream)
        forget()
        item = repository.wallet_pass(serial)
        assert item["version"] != issued and int(item["updated"]) > 0
        assert [s["channel"] for s in pushes(serial)] == []  # no device registered: none
        gone = api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={},
                        headers=auth(p))
        voided = pass_of(body_bytes(gone.body))
        assert voided["voided"] is True and "Lambert" not in str(voided)
        # A pass asked for a card that no longer exists: a clear refusal, nothing made.
        from domain import wallet

        before = len(wallet.member_passes(FATIMA))
        refused = api.post("/contract/card/wallet/apple", {}, headers=idempotency())
        assert refused.status == 403 and "a pris fin" in refused.body["message"]
        assert len(wallet.member_passes(FATIMA)) == before
        assert logic.daily(clock.today()) == 0  # already voided: nothing more to push
    finally:
        set_end_date(table(), FATIMA, None)
        reset_caches()


@pytest.mark.dated
def test_the_new_year_refreshes_the_passes_that_expired(api, stream):
    """The nightly run finds the passes whose validity ended through their expiry index."""
    import time_machine

    from contract import repository
    from domain.membership import forget

    _, p, _ = apple_pass(api)
    serial = p["serialNumber"]
    updates(stream)
    year = clock.today().year
    with time_machine.travel(f"{year + 1}-01-01T00:20:00+01:00", tick=False):
        forget()
        from contract.logic import wallet as logic

        assert logic.daily(clock.today()) >= 1
        item = repository.wallet_pass(serial)
        assert item["valid_to"] == f"{year + 1}-12-31" and item["push_pending"]
        forget()
        again = api.call("GET", f"{APPLE}/passes/{PASS_TYPE}/{serial}", claims={},
                         headers=auth(p))
        renewed = pass_of(body_bytes(again.body))
        assert f"31/12/{year + 1}" in str(renewed)
        assert renewed["barcodes"][0]["message"] != p["barcodes"][0]["message"]  # new code


def test_apples_registration_survives_a_failing_dependency(api):
    """Each AWS call of a registration, then of an unregistration, fails in turn: 503 and
    nothing half-written, then the retry does it once."""
    from tests.integration.test_faults import run_with_faults
    from tests.routes import InProcess

    _, p, _ = apple_pass(api)
    path = f"{APPLE}/devices/faultydevice01/registrations/{PASS_TYPE}/{p['serialNumber']}"
    client = InProcess(api)
    before, after = run_with_faults(api, client, "POST", path, {"pushToken": "ef" * 32},
                                    auth(p), 201)
    made = set(after[0]) - set(before[0])
    assert {sk.split("#")[0] for _, sk in made} == {"DEVICE", p["serialNumber"]}
    before, after = run_with_faults(api, client, "DELETE", path, None, auth(p), 200)
    assert set(before[0]) - set(after[0]) == made and not set(after[0]) - set(before[0])


def test_a_stack_without_the_wallets_keys_says_so(api):
    """A deployed stack whose WalletSecret was never filled: the page is told both wallets
    are not available (a state, not a failure), and a pass asked anyway gets 503 with
    Retry-After; nothing is stored."""
    import boto3

    from contract import repository
    from domain import wallet

    client = boto3.client("secretsmanager", region_name="eu-west-3")
    arn = api.resources.names["WalletSecret"]
    kept = client.get_secret_value(SecretId=arn)["SecretString"]
    client.put_secret_value(SecretId=arn, SecretString="{}")
    repository._keys.clear()  # a new container: the secret read afresh
    try:
        offer = api.get("/contract/card/wallet").body
        assert offer["apple"]["available"] is False and offer["google"]["available"] is False
        assert "pas encore disponible" in offer["apple"]["message"]
        before = len(wallet.member_passes(FATIMA))
        for kind in ("apple", "google"):
            refused = api.post(f"/contract/card/wallet/{kind}", {}, headers=idempotency())
            assert refused.status == 503 and refused.headers["Retry-After"] == "3600"
            assert "pas encore disponible" in refused.body["message"]
        assert len(wallet.member_passes(FATIMA)) == before
    finally:
        client.put_secret_value(SecretId=arn, SecretString=kept)
        repository._keys.clear()
