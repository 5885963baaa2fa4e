"""Issue 2 journeys: log in, land on « Mes remboursements », filter, open a décompte, log out."""

import json
import re

from playwright.sync_api import expect

from tests.e2e.conftest import FATIMA, login_with_form
from tests.e2e.helpers import ONE_VIEWPORT, cents, open_account_menu


def test_login_lands_on_reimbursements_filter_and_decompte(page, viewport):
    login_with_form(page)
    expect(page).to_have_url(re.compile(r"/espace/remboursements/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes remboursements")
    expect(page.get_by_test_id("account-menu")).to_contain_text("Fatima L.")
    rows = page.get_by_test_id("claim-row")
    expect(rows.first).to_be_visible()

    # Filter on the child: every row is hers. On a phone the filters are folded away first.
    select = page.get_by_label("Bénéficiaire")
    if viewport == "phone":
        expect(select).to_be_hidden()
        page.locator("summary", has_text="Filtres").click()
    expect(select).to_be_visible()
    child = select.locator("option", has_text="Inès")
    expect(child).to_have_count(1)
    select.select_option(child.get_attribute("value"))
    if page.get_by_role("button", name=re.compile("Appliquer|Filtrer|Afficher")).count():
        page.get_by_role("button", name=re.compile("Appliquer|Filtrer|Afficher")).first.click()
    expect(rows.first).to_contain_text("Inès")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text("Inès")

    # « Voir plus » loads older ones without losing the first page.
    before = rows.count()
    more = page.get_by_test_id("load-more")
    if more.is_visible():
        more.click()
        expect(rows).not_to_have_count(before)

    # The décompte: its figures add up.
    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/espace/remboursements/decompte/\?id="))
    expect(page.locator(".ea-lines__row--real_cost")).to_be_visible()

    def line(key):
        return cents(page.locator(f".ea-lines__row--{key} .ea-lines__amount").inner_text())

    assert line("real_cost") == line("social_security") + line("mutual") + line("out_of_pocket")
    assert line("real_cost") > 0
    expect(page.locator(".ea-lines__explanation").first).not_to_be_empty()


def test_logout_leaves_no_data_behind(page):
    login_with_form(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    session = page.evaluate("() => JSON.parse(sessionStorage.getItem('ea.session'))")
    open_account_menu(page)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))
    # The refresh token was revoked, not just forgotten by the browser.
    client_id = page.request.get("/config.json").json()["clientId"]
    refresh = page.request.post("/cognito", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"}, data=json.dumps({
            "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
            "AuthParameters": {"REFRESH_TOKEN": session["refreshToken"]}}))
    assert refresh.status == 400
    # And the access token no longer opens anything, although it has not expired yet.
    me = page.request.get("/api/members/me",
                          headers={"Authorization": f"Bearer {session['accessToken']}"})
    assert me.status == 401
    page.go_back()
    expect(page).to_have_url(re.compile(r"/connexion/"))
    expect(page.get_by_test_id("claim-row")).to_have_count(0)
    assert page.evaluate("() => sessionStorage.length") == 0


@ONE_VIEWPORT
def test_wrong_password_shows_the_french_error(page):
    login_with_form(page, (FATIMA[0], "pas-le-bon-mot-de-passe"))
    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    login_with_form(page, ("personne@example.fr", "pas-le-bon-mot-de-passe"))
    expect(error).to_contain_text("Adresse e-mail ou mot de passe incorrect")


@ONE_VIEWPORT
def test_member_page_without_session_goes_to_login_and_back(page):
    page.goto("/espace/releves/")
    expect(page).to_have_url(re.compile(r"/connexion/\?suite="))
    page.get_by_label("Adresse e-mail").fill(FATIMA[0])
    page.get_by_label("Mot de passe", exact=True).fill(FATIMA[1])
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace/releves/"))


@ONE_VIEWPORT
def test_session_is_refreshed_before_expiry_and_ends_when_refresh_fails(page):
    login_with_form(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    # The access token is about to expire (and is no longer valid): the page refreshes it.
    old = page.evaluate("""() => {
        const s = JSON.parse(sessionStorage.getItem('ea.session'));
        const old = s.accessToken;
        s.accessToken = 'expired.' + old.split('.')[1] + '.x';
        s.expiresAt = Date.now() + 5000;
        sessionStorage.setItem('ea.session', JSON.stringify(s));
        return old;
    }""")
    page.goto("/espace/remboursements/")
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    fresh = page.evaluate("() => JSON.parse(sessionStorage.getItem('ea.session')).accessToken")
    assert fresh.count(".") == 2 and not fresh.startswith("expired.") and fresh != old
    # A refresh token that no longer works ends the session: back to the login page.
    page.evaluate("""() => {
        const s = JSON.parse(sessionStorage.getItem('ea.session'));
        s.refreshToken = 'revoked'; s.expiresAt = Date.now() + 5000;
        sessionStorage.setItem('ea.session', JSON.stringify(s));
    }""")
    page.goto("/espace/releves/")
    expect(page).to_have_url(re.compile(r"/connexion/"))


def test_navigation_is_a_left_column_on_a_computer_and_a_bottom_bar_on_a_phone(page,
                                                                              viewport):
    login_with_form(page)
    nav = page.get_by_role("navigation", name="Menu de mon espace")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Mes remboursements")).to_have_attribute(
        "aria-current", "page")
    box = nav.bounding_box()
    size = page.viewport_size
    if viewport == "phone":
        assert box["y"] + box["height"] >= size["height"] - 2 and box["width"] >= 370
    else:
        assert box["x"] < 10 and box["width"] < 400 and box["height"] > 300
