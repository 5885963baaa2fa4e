"""Signing in: a form that sends nothing without its script, and advisors kept out of the
member space (and members out of theirs)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADVISOR, FATIMA, VIEWPORTS, login_with_form
from tests.e2e.helpers import ONE_VIEWPORT, open_account_menu, signed_in


def credentials_sent(requests) -> list:
    secrets = ("fatima.l", "Demo-Adherent", "Demo%2DAdherent")
    return [(url, body) for url, body in requests
            if any(s in url or s in (body or "") for s in secrets)]


def try_to_sign_in(page) -> None:
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(FATIMA[0])
    page.get_by_label("Mot de passe", exact=True).fill(FATIMA[1])
    page.get_by_label("Mot de passe", exact=True).press("Enter")
    page.get_by_role("button", name="Se connecter").click(force=True, no_wait_after=True)
    page.wait_for_timeout(500)


@pytest.mark.parametrize("viewport", ["desktop"])
@pytest.mark.parametrize("scripts", ["disabled", "not yet loaded"])
def test_login_form_sends_nothing_without_its_script(browser, stack, viewport, scripts):
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  java_script_enabled=scripts != "disabled",
                                  **VIEWPORTS[viewport])
    page = context.new_page()
    if scripts == "not yet loaded":
        # The sign-in page's script (assets/js/pages/connexion/index.js, hashed at build).
        script = re.compile(r".*/assets/js/pages/connexion/index-\w+\.js$")
        page.route(script, lambda route: route.abort())
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.post_data)))
    try_to_sign_in(page)
    assert not credentials_sent(sent), credentials_sent(sent)
    assert page.url.endswith("/connexion/"), page.url
    # Nothing to press until the script takes over the form.
    expect(page.get_by_role("button", name="Se connecter")).to_be_disabled()
    context.close()


@ONE_VIEWPORT
def test_advisor_lands_on_her_own_page(page):
    login_with_form(page, ADVISOR)
    expect(page).to_have_url(re.compile(r"/conseiller/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("File des demandes")
    expect(page.get_by_text("réservé aux adhérents")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Menu de mon espace")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Menu de l'espace conseiller")).to_be_visible()

    # A member page sends her back to hers, without showing its forms.
    page.goto("/espace/estimation/")
    expect(page).to_have_url(re.compile(r"/conseiller/$"))
    expect(page.get_by_text("réservé aux adhérents")).to_have_count(0)

    open_account_menu(page)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))


@ONE_VIEWPORT
def test_member_opening_the_advisor_page_goes_to_her_space(page):
    login_with_form(page)
    signed_in(page)
    page.goto("/conseiller/")
    expect(page).to_have_url(re.compile(r"/espace/remboursements/$"))
    signed_in(page)
