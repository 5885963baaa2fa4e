"""« Mes documents » and « Mes attestations » as Fatima uses them: her documents reached from the
account menu under her name, filtered, one downloaded; an attestation obtained, checked by its
recipient in a browser that is not signed in (valid), revoked, checked again (revoked)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, login
from tests.e2e.helpers import open_account_menu, signed_in


def open_documents_from_account_menu(page):
    open_account_menu(page)
    page.locator("#ea-account-menu").get_by_role("link", name="Mes documents").click()
    expect(page.get_by_role("heading", level=1, name="Mes documents")).to_be_visible()


def test_each_document_is_a_section_of_the_page_under_its_title(page):
    """Defect: each document's title was a level-3 heading right under the page's level-1
    (Lighthouse's heading order, 98 in accessibility): a screen reader's outline skipped a
    level."""
    login(page)
    signed_in(page)
    page.goto(page.url.split("/espace/")[0] + "/espace/documents/")
    rows = page.get_by_test_id("document-row")
    expect(rows.first).to_be_visible()
    levels = page.locator("main").evaluate(
        "main => [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
        ".filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and len(levels) > 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_documents_found_from_the_account_menu_filtered_and_downloaded(page, viewport):
    login(page)
    signed_in(page)
    open_documents_from_account_menu(page)
    rows = page.get_by_test_id("document-row")
    expect(rows.first).to_be_visible()
    # Every kind she has is offered as a filter (her newest documents depend on what other
    # journeys of this run made: a card of 1 January may be pages away in December).
    kinds = page.get_by_label("Type de document").locator("option")
    for kind in ("Relevé de prestations", "Attestation", "Carte mutualiste"):
        expect(kinds.filter(has_text=re.compile(f"^{kind}$"))).to_have_count(1)

    # On a phone the filters fold away under « Filtres », the documents first.
    if viewport == "phone":
        expect(page.get_by_label("Type de document")).to_be_hidden()
        page.get_by_text("Filtres", exact=True).click()
    page.get_by_label("Type de document").select_option(label="Relevé de prestations")
    page.get_by_role("button", name="Afficher").click()
    expect(rows.first).to_be_visible()
    expect(page.locator("#documents-status")).to_contain_text("de type « Relevé de prestations »")
    expect(page).to_have_url(re.compile(r"type=statement"))
    assert set(rows.evaluate_all("rows => rows.map(row => row.dataset.kind)")) == {"statement"}

    # A PDF one (another journey of this run may have made a spreadsheet of hers).
    first = rows.filter(has_text="PDF").first
    title = first.get_by_role("heading").inner_text()
    assert title.startswith("Relevé de prestations")
    with page.expect_download() as caught:
        first.get_by_role("button", name=re.compile("^Télécharger")).click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    expect(page.get_by_text("Votre document est prêt")).to_be_visible()

    # Filters cleared: every kind of document again.
    page.get_by_role("button", name="Effacer les filtres").click()
    expect(page).not_to_have_url(re.compile(r"type="))
    expect(page.locator('[data-testid="document-row"]:not([data-kind="statement"])').first
           ).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop"])  # the same cards on a phone
def test_an_attestation_is_checked_by_its_recipient_then_revoked(page, browser, stack):
    login(page)
    signed_in(page)
    open_documents_from_account_menu(page)
    page.get_by_role("link", name="Mes attestations").first.click()
    expect(page.get_by_role("heading", level=1, name="Mes attestations")).to_be_visible()
    cards = page.get_by_test_id("attestation-row")
    expect(cards.first).to_be_visible()
    before = cards.count()

    with page.expect_download() as caught:
        page.get_by_test_id("attestation-create").click()
    assert caught.value.suggested_filename.endswith(".pdf")
    expect(cards).to_have_count(before + 1)
    card = cards.first  # newest first
    expect(card).to_contain_text("Toute la famille")
    expect(card.locator(".ea-badge")).to_have_text("Valide")
    code = card.locator(".ea-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code)
    check_path = card.get_by_role("link", name=re.compile("^Voir la vérification")) \
        .get_attribute("href")
    assert check_path.startswith("/verifier-attestation/?code=")

    # Whoever received it checks it, signed in nowhere.
    stranger_context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                           timezone_id="Europe/Paris", **VIEWPORTS["phone"])
    stranger_context.set_default_timeout(20_000)
    stranger = stranger_context.new_page()
    stranger.goto(check_path)
    answer = stranger.get_by_test_id("attestation-check")
    expect(answer).to_contain_text("Valide")
    expect(answer).to_contain_text("Attestation valable aujourd'hui")
    expect(answer).to_contain_text("F. L.")
    expect(answer).not_to_contain_text("Fatima")
    expect(answer).not_to_contain_text("Lambert")

    # Fatima revokes it, after a confirmation.
    card.get_by_role("button", name=re.compile("^Révoquer")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Révoquer cette attestation ?")
    dialog.get_by_role("button", name="Révoquer").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Attestation révoquée")).to_be_focused()
    revoked = cards.filter(has_text=code)
    expect(revoked.locator(".ea-badge")).to_have_text("Révoquée")
    expect(revoked.get_by_role("button", name=re.compile("^Révoquer"))).to_have_count(0)

    # The same check now says so; a code typed wrong is unknown, in French.
    stranger.reload()
    expect(answer).to_contain_text("Révoquée")
    expect(answer).to_contain_text("n'est plus valable")
    stranger.get_by_label("Code de vérification").fill("AAAA-BBBB-CCCC-DDDD-EEEE")
    stranger.get_by_role("button", name="Vérifier").click()
    expect(answer).to_contain_text("Aucune attestation ne correspond à ce code")
    stranger_context.close()
