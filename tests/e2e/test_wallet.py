"""End-to-end: the card in the phone's wallet, on a computer and a phone. « Ajouter à Apple
Wallet » downloads a .pkpass carrying her card and its check's QR code; « Ajouter à Google
Wallet » sends the browser to Google's save address with a JWT carrying the same card (Google's
page is answered here: nothing leaves the machine)."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import COUNT_FETCHES, VIEWPORTS, login
from tests.e2e.helpers import api

GOOGLE_SAVE = "https://pay.google.com/gp/v/save/"


@pytest.fixture
def wallet_page(browser, stack, viewport):
    """The e2e page, with Google's save page answered locally: the one address outside our
    origin the card page may send the browser to (any other is still an error)."""
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", accept_downloads=True,
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    context.add_init_script(COUNT_FETCHES)
    context.route(f"{GOOGLE_SAVE}**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><html lang='fr'><title>Google Wallet</title><p>Enregistrer</p>"))
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("request", lambda req: errors.append(f"third-party request: {req.url}") if not
          req.url.startswith((stack["base_url"], "data:", "blob:", GOOGLE_SAVE)) else None)
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not any(
        f"status of {code}" in msg.text for code in ("400", "401", "403", "404", "409", "422"))
        else None)
    yield pg
    context.close()
    assert not errors, f"errors in the page: {errors}"


def test_the_card_goes_to_apple_wallet_and_google_wallet(wallet_page):
    page = wallet_page
    login(page)
    page.goto("/espace/contrat/carte/")
    card = api(page, "GET", "/contract/card", expect_status=200)
    section = page.get_by_test_id("card-wallet")
    expect(section).to_be_visible()
    apple = page.get_by_role("button", name="Ajouter à Apple Wallet")
    google = page.get_by_role("button", name="Ajouter à Google Wallet")
    expect(apple).to_be_visible()
    expect(google).to_be_visible()
    # Each button is fully on screen and big enough to touch on the phone.
    for button in (apple, google):
        box = button.bounding_box()
        assert box and box["height"] >= 40 and box["x"] >= 0
        assert box["x"] + box["width"] <= page.viewport_size["width"]

    with page.expect_download() as download:
        apple.click()
    assert download.value.suggested_filename.endswith(".pkpass")
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        assert {"pass.json", "manifest.json", "signature", "icon.png"} <= set(
            archive.namelist())
        p = json.loads(archive.read("pass.json"))
    assert p["barcodes"][0]["message"] == card["check_url"]
    assert card["member_number"] in json.dumps(p)
    assert "Karim Lambert" in json.dumps(p, ensure_ascii=False)
    expect(page.get_by_test_id("wallet-status")).to_contain_text("Apple Wallet est prête")

    with page.expect_navigation(url=f"{GOOGLE_SAVE}**"):
        google.click()
    token = page.url.removeprefix(GOOGLE_SAVE)
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["aud"] == "google" and claims["typ"] == "savetowallet"
    obj = claims["payload"]["genericObjects"][0]
    assert obj["barcode"]["value"] == card["check_url"]
    assert "Inès Lambert" in json.dumps(obj, ensure_ascii=False)
