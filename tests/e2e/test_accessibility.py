"""axe-core on every page of the built site, desktop and phone: no WCAG 2.x A/AA violation
(RGAA applies).

The pages are not listed by hand: every `index.html` of the build is checked, as the visitor
its template is for (`<meta name="ea-layout">`: public, member or advisor), so a new page
cannot escape the gate. Pages that show one object (`?id=`) are checked again with an id
found in the links of the other pages, and the forms and dialogs that open on them (the
delete confirmation, a request's answer form, an advisor's action) open, with their errors.
"""

import json
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, VIEWPORTS, login
from tests.e2e.helpers import api
from tests.e2e.test_login_and_roles import ADVISOR

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SITE = ROOT / "build" / "site"
LAYOUT = re.compile(r'<meta name="ea-layout" content="([a-z]+)">')


def built_pages() -> dict[str, list[str]]:
    pages: dict[str, list[str]] = {"public": [], "member": [], "advisor": []}
    for index in sorted(SITE.rglob("index.html")):
        found = LAYOUT.search(index.read_text("utf-8"))
        assert found, f"{index.relative_to(SITE)}: no ea-layout marker, so no known visitor"
        folder = index.parent.relative_to(SITE).as_posix()
        pages[found.group(1)].append("/" if folder == "." else f"/{folder}/")
    return pages


@pytest.fixture(scope="session")
def pages(stack):
    return built_pages()  # the stack fixture has built the site


def test_the_gate_sees_every_kind_of_page(pages):
    assert {"/", "/connexion/"} <= set(pages["public"])
    assert {"/espace/remboursements/", "/espace/estimations/detail/", "/espace/demandes/",
            "/espace/demandes/detail/", "/espace/demandes/nouvelle/"} <= set(pages["member"])
    assert {"/conseiller/", "/conseiller/demande/", "/conseiller/messages/",
            "/conseiller/rappels/"} <= set(pages["advisor"])
    assert {"/espace/contact/", "/espace/contact/conversation/"} <= set(pages["member"])
    assert {"/espace/documents/", "/espace/documents/attestations/"} <= set(pages["member"])
    assert "/verifier-attestation/" in pages["public"]
    assert {"/aide/", "/legal/donnees-personnelles/", "/legal/accessibilite/"} <= set(
        pages["public"])
    assert {"/garanties/", "/verifier-carte/"} <= set(pages["public"])
    assert {"/hors-connexion/", "/espace/contrat/", "/espace/contrat/carte/",
            "/espace/contrat/garanties/",
            "/espace/contrat/beneficiaire/", "/espace/contrat/coordonnees-bancaires/",
            "/espace/contrat/portabilite/"} <= set(pages["member"])


@pytest.fixture
def axe_page(browser, stack, viewport):
    # The site's CSP forbids injected scripts: let the test inject axe, nothing else changes.
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", bypass_csp=True,
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def violations(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def check(page, path, state=""):
    found = violations(page)
    assert not found, f"{path}{state}: {json.dumps(found, ensure_ascii=False)}"


def visit(page, path):
    response = page.goto(path)
    assert response and response.ok, path
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlsplit(page.url).path == urlsplit(path).path, f"{path} sent us to {page.url}"


def links_with_an_id(page) -> list[str]:
    return page.eval_on_selector_all(
        "a[href*='?id=']", "links => links.map(a => a.pathname + a.search)")


def check_space(page, paths):
    """Every page of a space, then each page that shows one object with a real id."""
    examples: dict[str, str] = {}
    for path in paths:
        visit(page, path)
        check(page, path)
        for link in links_with_an_id(page):
            examples.setdefault(urlsplit(link).path, link)
    for path in paths:
        if path in examples:
            visit(page, examples[path])
            check(page, examples[path])
    return examples


def test_public_pages(axe_page, pages):
    for path in pages["public"]:
        visit(axe_page, path)
        check(axe_page, path)


def test_member_pages(axe_page, pages):
    login(axe_page)
    expect(axe_page.get_by_test_id("claim-row").first).to_be_visible()
    examples = check_space(axe_page, pages["member"])
    assert {"/espace/remboursements/decompte/", "/espace/estimations/detail/",
            "/espace/demandes/detail/", "/espace/contact/conversation/"} <= set(examples)

    # A request waiting for her answer: the answer form, then its errors.
    visit(axe_page, "/espace/demandes/?etat=info_needed")
    axe_page.get_by_test_id("request-row").first.get_by_role("link").click()
    form = axe_page.get_by_test_id("request-answer-form")
    expect(form).to_be_visible()
    check(axe_page, axe_page.url, " (formulaire de réponse)")
    form.get_by_role("button", name="Envoyer ma réponse").click()
    expect(form.locator("#answer-errors")).to_be_focused()
    check(axe_page, axe_page.url, " (réponse incomplète)")

    # « Faire une autre demande » sent empty: its errors.
    visit(axe_page, "/espace/demandes/nouvelle/")
    expect(axe_page.get_by_label("Changement de situation")).to_be_visible()
    axe_page.get_by_role("button", name="Envoyer ma demande").click()
    expect(axe_page.get_by_role("heading", name=re.compile("contient des erreurs"))).to_be_visible()
    check(axe_page, "/espace/demandes/nouvelle/", " (demande incomplète)")

    # The delete confirmation of an estimate, dialog open.
    visit(axe_page, "/espace/estimations/")
    axe_page.get_by_test_id("estimate-row").first.get_by_role(
        "button", name=re.compile("^Supprimer")).click()
    dialog = axe_page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(axe_page, "/espace/estimations/", " (confirmation de suppression)")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()

    # An attestation's revocation, dialog open; then its public check, answer shown.
    visit(axe_page, "/espace/documents/attestations/")
    revoke = re.compile("^Révoquer")
    card = axe_page.get_by_test_id("attestation-row").filter(
        has=axe_page.get_by_role("button", name=revoke)).first
    card.get_by_role("button", name=revoke).click()
    dialog = axe_page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(axe_page, "/espace/documents/attestations/", " (confirmation de révocation)")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    check_path = card.get_by_role("link", name=re.compile("^Voir la vérification")) \
        .get_attribute("href")
    visit(axe_page, check_path)
    expect(axe_page.get_by_test_id("attestation-check")).to_contain_text("Valide")
    check(axe_page, check_path, " (réponse)")


def test_advisor_pages(axe_page, pages):
    login(axe_page, ADVISOR)
    expect(axe_page).to_have_url(re.compile(r"/conseiller/"))
    examples = check_space(axe_page, pages["advisor"])
    assert {"/conseiller/demande/", "/conseiller/messages/conversation/"} <= set(examples)

    # An action's dialog open, then with its error (a question is required).
    visit(axe_page, "/conseiller/")
    axe_page.get_by_test_id("queue-row").first.get_by_role("link").click()
    actions = axe_page.get_by_test_id("advisor-actions")
    actions.get_by_role("button", name="Demander des informations").click()
    dialog = axe_page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(axe_page, axe_page.url, " (demande d'informations)")
    dialog.get_by_role("button", name="Demander des informations").click()
    expect(dialog.get_by_role("textbox")).to_have_attribute("aria-invalid", "true")
    check(axe_page, axe_page.url, " (demande d'informations sans question)")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()


def test_contract_pages_with_their_errors_and_verdicts(axe_page):
    """« Mon contrat »'s forms sent empty (their errors), the live IBAN check, the portabilité
    verdict, the card shown, and the public check of a real card (signed out)."""
    login(axe_page)
    expect(axe_page.get_by_test_id("claim-row").first).to_be_visible()

    visit(axe_page, "/espace/contrat/carte/")
    expect(axe_page.get_by_test_id("card-kept")).to_be_visible()
    check(axe_page, "/espace/contrat/carte/", " (carte affichée)")
    check_url = api(axe_page, "GET", "/contract/card", expect_status=200)["check_url"]

    visit(axe_page, "/espace/contrat/beneficiaire/")
    axe_page.get_by_role("button", name="Envoyer ma demande").click()
    expect(axe_page.get_by_role("heading", name=re.compile("contient"))).to_be_visible()
    check(axe_page, "/espace/contrat/beneficiaire/", " (demande incomplète)")

    visit(axe_page, "/espace/contrat/coordonnees-bancaires/?beneficiaire=B02")
    axe_page.get_by_label("IBAN du nouveau compte").fill("FR76 3000 6000 0112 3456 7890 180")
    expect(axe_page.get_by_test_id("iban-check")).to_contain_text("n'est pas valide")
    axe_page.get_by_role("button", name="Envoyer ma demande de changement").click()
    expect(axe_page.get_by_role("heading", name=re.compile("contient"))).to_be_visible()
    check(axe_page, "/espace/contrat/coordonnees-bancaires/", " (IBAN refusé, demande incomplète)")

    visit(axe_page, "/espace/contrat/portabilite/")
    axe_page.get_by_role("button", name="Vérifier mes droits").click()
    expect(axe_page.get_by_role("heading", name=re.compile("contient"))).to_be_visible()
    check(axe_page, "/espace/contrat/portabilite/", " (situation incomplète)")
    axe_page.get_by_label("Début de votre dernier contrat de travail").fill("2020-01-01")
    axe_page.get_by_label("Fin de ce contrat de travail").fill(
        (date.today() - timedelta(days=10)).isoformat())
    axe_page.get_by_label("Motif de la fin du contrat").select_option("dismissal")
    axe_page.get_by_role("radio", name="Oui").check()
    axe_page.get_by_role("button", name="Vérifier mes droits").click()
    expect(axe_page.get_by_test_id("eligibility")).to_be_visible()
    axe_page.get_by_role("button", name="Envoyer ma déclaration").click()
    expect(axe_page.get_by_role("heading", name=re.compile("contient"))).to_be_visible()
    check(axe_page, "/espace/contrat/portabilite/", " (droits vérifiés, justificatif manquant)")

    # The professional's phone: no session; a real card's check.
    axe_page.evaluate("() => sessionStorage.clear()")
    target = urlsplit(check_url)
    visit(axe_page, f"{target.path}?{target.query}")
    expect(axe_page.get_by_test_id("card-check").get_by_role(
        "heading", name="Carte valable")).to_be_visible()
    check(axe_page, "/verifier-carte/", " (carte valable)")
