"""Layouts: the public menu on a phone, pages that fit a phone, the member menu column."""

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import settled, signed_in

MEMBER_PAGES = ["/espace/remboursements/", "/espace/estimation/", "/espace/estimations/",
                "/espace/demande-remboursement/", "/espace/releves/", "/espace/infos/",
                "/espace/infos/donnees/"]


@pytest.mark.parametrize("viewport", ["phone"])
def test_public_menu_opens_and_closes_on_a_phone(page):
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    link = page.locator(".md-sidebar--primary").get_by_role("link", name="Se connecter")
    expect(link).not_to_be_in_viewport()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(link).not_to_be_in_viewport()
    expect(menu).to_be_focused()

    # Keyboard only: Enter opens it and moves into the menu; Tab reaches its links.
    page.keyboard.press("Enter")
    expect(link).to_be_in_viewport()
    expect(page.locator(".md-sidebar--primary :focus")).to_have_count(1)
    # A tap on the darkened page closes it.
    page.mouse.click(360, 500)
    expect(link).not_to_be_in_viewport()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.click()
    link.click()
    expect(page).to_have_url(re.compile(r"/connexion/$"))


def fits(page) -> bool:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", ["phone"])
def test_no_page_is_wider_than_a_phone(page):
    for path in ("/", "/connexion/", "/connexion/creer-mon-compte/",
                 "/connexion/mot-de-passe-oublie/"):
        page.goto(path)
        settled(page)
        assert fits(page), path
    login(page)
    signed_in(page)
    for path in MEMBER_PAGES:
        page.goto(path)
        settled(page)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if path == "/espace/remboursements/":
            expect(page.locator(".ea-counter").first).to_be_visible()
        assert fits(page), path


@pytest.mark.parametrize("viewport", ["desktop"])
def test_member_menu_column_reaches_the_bottom_of_long_pages(page):
    login(page)
    signed_in(page)
    expect(page.locator(".ea-counter").first).to_be_visible()
    settled(page)
    nav = page.get_by_role("navigation", name="Menu de mon espace").bounding_box()
    footer_top = page.locator("footer").evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY")
    assert footer_top > 2 * page.viewport_size["height"]
    shot = Image.open(BytesIO(page.screenshot(full_page=True))).convert("RGB")
    column = int(nav["x"] + nav["width"] / 2)
    for y in (page.viewport_size["height"] + 50, int(footer_top) - 10):
        assert shot.getpixel((column, y)) == (255, 255, 255), y


@pytest.mark.parametrize("viewport", ["phone"])
def test_member_bar_on_a_phone_keeps_the_main_entries_and_opens_the_whole_menu(page):
    login(page)
    signed_in(page)
    nav = page.get_by_role("navigation", name="Menu de mon espace")
    bar = nav.locator(".ea-nav__bar > li")
    # Few enough entries to be read whole and tapped: 48 px or more each on a 375 px phone.
    assert bar.count() <= 5
    for i in range(bar.count()):
        assert bar.nth(i).bounding_box()["width"] >= 48
    assert nav.evaluate("""nav => [...nav.querySelectorAll('.ea-nav__bar .ea-nav__short')]
        .every(label => label.scrollWidth <= label.clientWidth)""")
    menu = nav.get_by_role("button", name="Menu")
    documents = nav.get_by_role("link", name="Mes documents")
    expect(documents).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(documents).to_be_in_viewport()
    expect(nav.get_by_role("link", name="Demander une estimation")).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(documents).to_be_hidden()
    expect(menu).to_be_focused()

    # A tap outside closes it; a link of the sheet opens its page.
    menu.click()
    page.mouse.click(180, 200)
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    nav.get_by_role("link", name="Demander une estimation").click()
    expect(page).to_have_url(re.compile(r"/espace/estimation/$"))
    expect(nav.locator(".ea-nav__bar").get_by_role("link", name="Mes remboursements")
           ).to_have_attribute("aria-current", "true")
