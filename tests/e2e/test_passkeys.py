"""Passkeys in Chromium, with its virtual authenticator (tests/e2e/webauthn.py): a member adds
one from « Mes clés d'accès », signs out, signs in with it, removes it; an advisor signs in with
a passkey as her second factor. On the desktop and the phone viewports. The pages are opened on
`localhost` (a relying party id is a domain, never an IP address)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADVISOR, FATIMA, PAUL, VIEWPORTS, login
from tests.e2e.helpers import (
    COUNT_FETCHES,
    ONE_VIEWPORT,
    mails_when,
    open_account_menu,
    signed_in,
)
from tests.e2e.webauthn import add_authenticator, on_localhost


@pytest.fixture
def local_page(browser, stack, viewport):
    base = on_localhost(stack["base_url"])
    context = browser.new_context(base_url=base, locale="fr-FR", timezone_id="Europe/Paris",
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    context.add_init_script(COUNT_FETCHES)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("request", lambda req: errors.append(f"third-party request: {req.url}")
          if not req.url.startswith((base, "data:", "blob:")) else None)
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not any(
        f"status of {code}" in msg.text for code in ("400", "401", "403", "404", "409", "422"))
        else None)
    yield pg
    context.close()
    assert not errors, f"errors in the page: {errors}"


def add_passkey(page, name: str, password: str) -> None:
    page.get_by_label("Nom de la clé").fill(name)
    page.get_by_label("Votre mot de passe").fill(password)
    page.get_by_role("button", name="Créer la clé d'accès").click()
    expect(page.get_by_text(f"La clé d'accès « {name} » est ajoutée")).to_be_visible()
    expect(page.get_by_test_id("passkey-row").filter(has_text=name)).to_be_visible()


def remove_passkey(page, name: str, password: str) -> None:
    row = page.get_by_test_id("passkey-row").filter(has_text=name)
    row.get_by_role("button", name=re.compile("Supprimer")).click()
    dialog = page.get_by_test_id("passkey-remove-dialog")
    dialog.get_by_label("Votre mot de passe").fill(password)
    dialog.get_by_role("button", name="Supprimer la clé").click()
    expect(page.get_by_text(f"La clé d'accès « {name} » est supprimée")).to_be_visible()
    expect(page.get_by_test_id("passkey-row").filter(has_text=name)).to_have_count(0)


def sign_out(page) -> None:
    open_account_menu(page)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))


def sign_in_with_passkey(page, email: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_role("button", name="Utiliser une clé d'accès").click()


def test_a_member_adds_a_passkey_signs_in_with_it_and_removes_it(local_page, viewport):
    page = local_page
    authenticator = add_authenticator(page)
    name = f"Mon {'téléphone' if viewport == 'phone' else 'ordinateur'}"
    login(page, PAUL)
    signed_in(page)
    page.goto("/espace/infos/")
    page.get_by_test_id("link-passkeys").click()
    expect(page.get_by_role("heading", level=1, name="Mes clés d'accès")).to_be_visible()
    expect(page.get_by_test_id("passkeys-empty")).to_be_visible()

    # A wrong password: nothing asked of the device, nothing added.
    page.get_by_label("Nom de la clé").fill(name)
    page.get_by_label("Votre mot de passe").fill("Pas-le-bon-2026!")
    page.get_by_role("button", name="Créer la clé d'accès").click()
    expect(page.get_by_text("mot de passe incorrect").first).to_be_visible()
    assert authenticator.credentials() == []

    add_passkey(page, name, PAUL[1])
    assert len(authenticator.credentials()) == 1
    mails_when(page, lambda mails: any(
        m["to"] == PAUL[0] and "clé d'accès a été ajoutée" in m["subject"] for m in mails))

    sign_out(page)
    sign_in_with_passkey(page, PAUL[0])
    expect(page).to_have_url(re.compile(r"/espace/remboursements/$"))
    signed_in(page)

    page.goto("/espace/infos/cles/")
    remove_passkey(page, name, PAUL[1])
    expect(page.get_by_test_id("passkeys-empty")).to_be_visible()

    # Removed: the device still holds it, the account no longer takes it; the password does.
    sign_out(page)
    sign_in_with_passkey(page, PAUL[0])
    expect(page.get_by_test_id("login-error")).to_contain_text("clé d'accès")
    expect(page).to_have_url(re.compile(r"/connexion/"))


@ONE_VIEWPORT
def test_a_cancelled_prompt_says_so_and_the_password_stays(local_page):
    page = local_page
    authenticator = add_authenticator(page)
    authenticator.user_verifies(False)
    sign_in_with_passkey(page, FATIMA[0])
    expect(page.get_by_test_id("login-error")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/connexion/"))
    # The password form is still there, and works.
    page.get_by_label("Mot de passe", exact=True).fill(FATIMA[1])
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/espace/remboursements/$"))


def test_an_advisor_signs_in_with_a_passkey_as_her_second_factor(local_page, viewport):
    page = local_page
    add_authenticator(page)
    name = f"Poste {viewport}"
    login(page, ADVISOR)  # password, then her authenticator app's code
    expect(page).to_have_url(re.compile(r"/conseiller/$"))
    page.goto("/conseiller/cles/")
    expect(page.get_by_role("heading", level=1, name="Mes clés d'accès")).to_be_visible()
    add_passkey(page, name, ADVISOR[1])

    sign_out(page)
    sign_in_with_passkey(page, ADVISOR[0])
    # No code asked: the passkey's user verification is her second factor.
    expect(page).to_have_url(re.compile(r"/conseiller/$"))
    expect(page.get_by_label("Code de votre application d'authentification")).to_have_count(0)

    page.goto("/conseiller/cles/")
    remove_passkey(page, name, ADVISOR[1])
