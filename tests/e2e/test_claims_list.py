"""« Mes remboursements »: « Voir plus » until the last page only, and what an empty or
filtered list says."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import ONE_VIEWPORT, all_claims, api, settled, signed_in

PAGE_SIZE = 20


def visible(locator):
    return locator.locator("visible=true")


@ONE_VIEWPORT
def test_load_more_goes_away_after_the_last_page(page):
    login(page)
    signed_in(page)
    claims = all_claims(page)
    rows = page.get_by_test_id("claim-row")
    more = page.get_by_test_id("load-more")
    status = page.locator("#claims-status")

    # A period holding exactly one or two full pages: the API still hands out a cursor after
    # the last one, and the page must not offer « Voir plus » for nothing.
    dates = [claim["care_date"] for claim in claims]
    full = next(k for k in (PAGE_SIZE, 2 * PAGE_SIZE) if dates[k - 1] != dates[k])
    page.goto(f"/espace/remboursements/?du={dates[full - 1]}&au={dates[0]}")
    expect(rows.first).to_be_visible()
    if full > PAGE_SIZE:
        more.click()
    expect(rows).to_have_count(full)
    expect(status).to_contain_text(f"{full} remboursements affichés")
    settled(page)
    expect(more).to_be_hidden()

    # Every reimbursement, page after page.
    page.goto("/espace/remboursements/")
    expect(rows).to_have_count(PAGE_SIZE)
    while rows.count() < len(claims):
        shown = rows.count()
        more.click()
        expect(rows).not_to_have_count(shown)
        expect(status).to_contain_text(re.compile(r"^\d+ remboursements? de plus"))
    expect(rows).to_have_count(len(claims))
    settled(page)
    expect(more).to_be_hidden()
    expect(status).not_to_contain_text(re.compile(r"\b0 remboursement"))


def test_an_empty_or_filtered_list_says_it_once_and_whose(page, viewport):
    login(page)
    signed_in(page)
    ines = next(b for b in api(page, "GET", "/members/me")["beneficiaries"]
                if b["first_name"] == "Inès")
    content = page.locator("#contenu")

    page.goto("/espace/remboursements/?du=2001-01-01&au=2001-12-31")
    empty = visible(page.get_by_text(re.compile("Aucun remboursement")))
    expect(empty).to_have_count(1)
    expect(empty).to_contain_text("du 01/01/2001 au 31/12/2001")
    # « Tous les bénéficiaires » is already chosen: no advice to choose it.
    expect(visible(page.get_by_text(re.compile("choisissez « Tous les bénéficiaires »")))) \
        .to_have_count(0)

    page.goto(f"/espace/remboursements/?du=2001-01-01&au=2001-12-31&beneficiaire={ines['id']}")
    expect(empty).to_have_count(1)
    expect(empty).to_contain_text("Inès Lambert")
    expect(content).to_contain_text("choisissez « Tous les bénéficiaires »")

    page.goto(f"/espace/remboursements/?beneficiaire={ines['id']}")
    rows = page.get_by_test_id("claim-row")
    expect(rows.first).to_be_visible()
    expect(page.locator("#claims-status")).to_contain_text("pour Inès Lambert")
    list_name = "d'Inès Lambert"
    if viewport == "desktop":
        expect(page.get_by_test_id("claims-table").locator("caption")).to_contain_text(list_name)
    else:
        expect(page.get_by_test_id("claims-table")).to_have_attribute(
            "aria-label", re.compile(list_name))
