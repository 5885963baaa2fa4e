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
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import ADVISOR, ROOT, VIEWPORTS, login
from tests.e2e.helpers import COUNT_FETCHES, api, settled

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
    assert "/espace/infos/cles/" in pages["member"] and "/conseiller/cles/" in pages["advisor"]
    assert {"/espace/documents/", "/espace/documents/attestations/"} <= set(pages["member"])
    assert "/verifier-attestation/" in pages["public"]
    assert {"/aide/", "/legal/donnees-personnelles/", "/legal/accessibilite/"} <= set(
        pages["public"])
    assert {"/espace/services/", "/espace/services/lieu/", "/espace/services/teleconsultation/",
            "/espace/services/teleconsultation/salle/"} <= set(pages["member"])
    assert {"/garanties/", "/verifier-carte/"} <= set(pages["public"])
    assert {"/espace/infos/appareils/", "/espace/infos/consultations/"} <= set(pages["member"])
    assert {"/conseiller/sessions/", "/conseiller/dossier/"} <= set(pages["advisor"])
    assert {"/hors-connexion/", "/espace/contrat/", "/espace/contrat/carte/",
            "/espace/contrat/garanties/",
            "/espace/contrat/beneficiaire/", "/espace/contrat/coordonnees-bancaires/",
            "/espace/contrat/portabilite/"} <= set(pages["member"])
    assert {"/espace/infos/procurations/", "/espace/choisir/"} <= set(pages["member"])
    assert "/connexion/procuration/" in pages["public"]
    assert "/espace/contrat/resiliation/" in pages["member"]


@pytest.fixture
def axe_page(browser, stack, viewport):
    # The site's CSP forbids injected scripts: let the test inject axe, nothing else changes.
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", bypass_csp=True,
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    context.add_init_script(COUNT_FETCHES)
    yield context.new_page()
    context.close()



def violations(page):
    settled(page)
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def check(page, path, state=""):
    found = violations(page)
    assert not found, f"{path}{state}: {json.dumps(found, ensure_ascii=False)}"


def visit(page, path):
    response = page.goto(path)
    assert response and response.ok, path
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    settled(page)
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
    # Issue 21: Fatima's demo trop-perçu, linked from the block on « Mes remboursements ».
    assert "/espace/remboursements/trop-percu/" in examples

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


def test_payment_notices_the_decompte_forms_and_an_ended_cover(axe_page, stack, viewport):
    """A payment « Nouveau », a décompte with its estimate beside it and the report form
    open, the NOEMIE steps unfolded; then a member whose cover ended, on a page closed to her
    and on her documents."""
    from tests.notices import notice_item, set_end_date, stack_table

    page, table = axe_page, stack_table(stack["stack"])
    demo = stack["stack"].demo["members"]
    login(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    claims = [c for c in api(page, "GET", "/claims?limit=50")["items"]
              if c["status"] == "paid" and c["mutual_cents"] > 0]
    table.put_item(Item=notice_item(demo["fatima.l@example.fr"]["member_id"], claims[0],
                                    "Fatima"))
    visit(page, "/espace/remboursements/")
    expect(page.get_by_test_id("claim-new").first).to_be_visible()
    check(page, "/espace/remboursements/", " (paiement nouveau)")

    compared = next(c for c in claims if api(page, "GET", f"/claims/{c['id']}")["estimate"])
    path = f"/espace/remboursements/decompte/?id={compared['id']}"
    visit(page, path)
    expect(page.get_by_test_id("claim-estimate")).to_be_visible()
    page.get_by_role("button", name="Je ne reconnais pas ce paiement").click()
    expect(page.get_by_test_id("dispute-form")).to_be_visible()
    check(page, path, " (estimation et signalement)")

    visit(page, "/espace/contrat/")
    page.get_by_text("Que faire pour les remboursements d'Inès Lambert").click()
    check(page, "/espace/contrat/", " (liaison NOEMIE)")

    paul = demo["paul.m@example.fr"]["member_id"]
    set_end_date(table, paul, (clock.today() - timedelta(days=1)).isoformat())
    try:
        page.context.clear_cookies()
        page.evaluate("() => sessionStorage.clear()")
        login(page, ("paul.m@example.fr", "Demo-Adherent-2026!"))
        for closed in ("/espace/remboursements/", "/espace/documents/"):
            visit(page, closed)
            expect(page.get_by_test_id("ended-access")).to_be_visible()
            check(page, closed, " (contrat terminé)")
    finally:
        set_end_date(table, paul, None)


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


def test_account_forms_with_their_errors_open(axe_page):
    """« Je n'ai pas encore de compte », « Mot de passe oublié » and « Mes infos perso » with
    their error summaries shown, and the sign-out of every device asked."""
    for path in ("/connexion/creer-mon-compte/", "/connexion/mot-de-passe-oublie/"):
        visit(axe_page, path)
        axe_page.get_by_role("button", name="Recevoir un code").click()
        expect(axe_page.locator(".ea-error-summary").first).to_be_focused()
        check(axe_page, path, " (erreurs)")

    login(axe_page)
    expect(axe_page).to_have_url(re.compile(r"/espace/"))
    visit(axe_page, "/espace/infos/")
    axe_page.get_by_role("button", name="Modifier mes coordonnées").click()
    axe_page.get_by_label("Code postal").fill("123")
    axe_page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    expect(axe_page.locator("#details-errors")).to_be_focused()
    axe_page.get_by_role("button", name="Changer mon mot de passe").click()
    expect(axe_page.locator("#password-errors")).to_be_focused()
    check(axe_page, "/espace/infos/", " (erreurs)")
    axe_page.get_by_role("button", name="Se déconnecter de tous les appareils").click()
    dialog = axe_page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(axe_page, "/espace/infos/", " (déconnexion de tous les appareils)")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()


def test_services_pages_with_results_dialogs_and_errors(axe_page):
    """« Mes services » as the member sees it once she has searched: results (list and map),
    the town suggestions open, a partner and an agency, a booked teleconsultation with its
    waiting room and cancel confirmation, the forms' errors."""
    page = axe_page
    login(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()

    visit(page, "/espace/services/?kind=optician&postcode=69003&radius_km=20")
    expect(page.get_by_test_id("place-row")).to_have_count(20)
    expect(page.locator(".ea-map__marker")).to_have_count(20)
    check(page, "/espace/services/", " (résultats et carte)")
    partner = links_with_an_id(page)[0]
    town = page.get_by_role("combobox", name="Commune ou code postal")
    town.fill("Lyo")
    expect(page.get_by_role("listbox").get_by_role("option").first).to_be_visible()
    check(page, "/espace/services/", " (suggestions de communes)")
    town.fill("")
    page.get_by_role("button", name="Rechercher").click()
    expect(town).to_have_attribute("aria-invalid", "true")
    check(page, "/espace/services/", " (erreur)")

    visit(page, "/espace/services/?kind=agency&town=Lyon&radius_km=20")
    expect(page.get_by_test_id("place-row").first).to_be_visible()
    agency = links_with_an_id(page)[0]
    for path in (partner, agency):
        visit(page, path)
        expect(page.get_by_test_id("place-detail").get_by_role("heading", level=2)).to_be_visible()
        check(page, path)

    visit(page, "/espace/services/teleconsultation/")
    page.get_by_role("button", name="Demander la téléconsultation").click()
    expect(page.locator("#tele-errors")).to_be_visible()
    check(page, "/espace/services/teleconsultation/", " (erreurs)")
    who = page.get_by_label("Pour qui ?")
    who.select_option(who.locator("option").nth(1).get_attribute("value"))
    page.get_by_label("Motif de la consultation").fill("Une toux depuis trois jours.")
    page.get_by_role("button", name="Demander la téléconsultation").click()
    expect(page.get_by_test_id("tele-booked")).to_contain_text("réservée")
    expect(page.locator("#tele-list")).to_have_attribute("aria-busy", "false")  # reloaded
    check(page, "/espace/services/teleconsultation/", " (réservée)")
    page.get_by_test_id("tele-row").first.get_by_role("button", name="Annuler").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(page, "/espace/services/teleconsultation/", " (confirmation d'annulation)")
    dialog.get_by_role("button", name="Garder").click()
    expect(dialog).to_be_hidden()
    room = page.get_by_test_id("tele-booked").get_by_test_id("tele-join").get_attribute("href")
    visit(page, room)
    expect(page.get_by_test_id("tele-simulation")).to_be_visible()
    check(page, room)


def test_contract_pages_with_their_errors_and_verdicts(axe_page):
    """« Mon contrat »'s forms sent empty (their errors), the live IBAN check, the portabilité
    verdict, the card shown, and the public check of a real card (signed out)."""
    login(axe_page)
    expect(axe_page.get_by_test_id("claim-row").first).to_be_visible()

    visit(axe_page, "/espace/contrat/carte/")
    expect(axe_page.get_by_test_id("card-kept")).to_be_visible()
    expect(axe_page.get_by_test_id("card-wallet")).to_be_visible()  # its wallet buttons too
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
        (clock.today() - timedelta(days=10)).isoformat())
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


def test_a_new_advisor_enrols_her_app_then_reaches_her_space(axe_page, stack):
    """An advisor's first sign-in (issue 17): no way in with her password alone; the page
    shows the QR code and the key of her authenticator app, a wrong code says so, the right
    one opens her space. Axe on the step, on a desktop and on a phone."""
    import pyotp

    email, password = stack["stack"].new_advisor()

    page = axe_page
    visit(page, "/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Votre second facteur")).to_be_focused()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = page.get_by_test_id("totp-secret").text_content().replace(" ", "")
    assert len(secret) >= 16
    assert page.evaluate("() => sessionStorage.getItem('ea.session')") is None
    check(page, "/connexion/", " (second facteur à enregistrer)")
    code = page.get_by_label("Code de votre application d'authentification")
    right = {pyotp.TOTP(secret).at(clock.epoch() + d) for d in (-60, -30, 0, 30, 60)}
    code.fill(next(c for c in ("111111", "222222", "333333") if c not in right))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert").filter(has_text="n'est pas le bon")).to_be_visible()
    expect(code).to_be_focused()
    check(page, "/connexion/", " (code refusé)")
    code.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/conseiller/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("File des demandes")


def test_procuration_pages_with_their_forms_and_errors(axe_page):
    """« Mes procurations » with its errors, then its summary before sending; the invitation's
    page signed out: the choice, the account form with its errors, an invitation that is no
    longer valid. (The « Vous agissez pour … » space is checked in test_procuration.py.)"""
    page = axe_page
    visit(page, "/connexion/procuration/?invitation=P20260101T000000-0123abcd")
    expect(page.get_by_role("button", name="Je n'ai pas de compte : en créer un")).to_be_visible()
    check(page, "/connexion/procuration/", " (invitation, choix)")
    page.get_by_role("button", name="Je n'ai pas de compte : en créer un").click()
    page.get_by_role("button", name="Créer mon compte et accepter").click()
    expect(page.locator("#create-errors")).to_be_focused()
    check(page, "/connexion/procuration/", " (création de compte, erreurs)")
    page.get_by_label("Votre adresse e-mail").fill("personne@example.fr")
    page.locator("#create-section").get_by_label("Code de l'invitation").fill("ABCD2345")
    page.get_by_label("Choisissez un mot de passe").fill("Une phrase assez longue 2026")
    page.get_by_label("Mot de passe, une seconde fois").fill("Une phrase assez longue 2026")
    page.get_by_role("button", name="Créer mon compte et accepter").click()
    expect(page.get_by_test_id("invitation-final")).to_contain_text("plus valable")
    check(page, "/connexion/procuration/", " (invitation plus valable)")

    login(page)
    expect(page).to_have_url(re.compile(r"/espace/"))
    visit(page, "/espace/infos/procurations/")
    page.get_by_role("button", name="Vérifier avant d'envoyer").click()
    expect(page.locator("#give-errors")).to_be_focused()
    check(page, "/espace/infos/procurations/", " (erreurs)")
    page.get_by_label("Prénom de votre proche").fill("Alice")
    page.get_by_label("Nom de votre proche", exact=True).fill("Durand")
    page.get_by_label("Son adresse e-mail").fill("alice.durand@example.fr")
    page.get_by_label("Consulter mon espace", exact=True).check()
    page.get_by_label("Jusqu'au (inclus)").fill((clock.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Vérifier avant d'envoyer").click()
    expect(page.locator("#give-summary")).to_be_focused()
    check(page, "/espace/infos/procurations/", " (résumé avant envoi)")


def test_sessions_and_file_openings_with_their_dialogs_and_errors(axe_page):
    """Issue 20: a session's close confirmation, the advisor's reason form with its errors, a
    member's file opened with a reason, and the member's list of openings."""
    login(axe_page)
    expect(axe_page).to_have_url(re.compile(r"/espace/"))
    number = api(axe_page, "GET", "/members/me")["member_number"]
    visit(axe_page, "/espace/infos/appareils/")
    axe_page.get_by_test_id("session-close").first.click()
    dialog = axe_page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    check(axe_page, "/espace/infos/appareils/", " (fermer une session)")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()

    advisor = axe_page.context.new_page()
    login(advisor, ADVISOR)
    expect(advisor).to_have_url(re.compile(r"/conseiller/"))
    visit(advisor, f"/conseiller/dossier/?adherent={number}")
    advisor.get_by_label("Motif").select_option("other")
    advisor.get_by_role("button", name="Ouvrir le dossier").click()
    expect(advisor.locator("#file-reason-errors")).to_be_focused()
    check(advisor, "/conseiller/dossier/", " (motif manquant)")
    visit(advisor, f"/conseiller/dossier/?adherent={number}&motif=quality_check")
    expect(advisor.get_by_test_id("file-opened-for")).to_be_visible()
    check(advisor, "/conseiller/dossier/", " (dossier ouvert)")
    advisor.close()

    visit(axe_page, "/espace/infos/consultations/")
    expect(axe_page.get_by_test_id("opening-row").first).to_be_visible()
    check(axe_page, "/espace/infos/consultations/", " (consultations listées)")


def test_termination_steps_with_their_errors_open(axe_page, stack):
    """« Résilier mon contrat » for an individual contract (Paul): the reasons, the errors of
    step 1, the fields a reason asks for, the summary (nothing is confirmed)."""
    from tests.e2e.test_termination import clear_terminations

    clear_terminations(stack)
    page = axe_page
    login(page, ("paul.m@example.fr", "Demo-Adherent-2026!"))
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    path = "/espace/contrat/resiliation/"
    visit(page, path)
    expect(page.locator("#termination-form")).to_be_visible()
    check(page, path, " (motifs)")
    page.get_by_label("Changement de situation").check()
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.locator("#termination-errors")).to_be_visible()
    check(page, path, " (erreurs de l'étape 1)")
    page.get_by_label("Résiliation après la première année d'adhésion").check()
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.get_by_test_id("termination-summary")).to_be_visible()
    check(page, path, " (récapitulatif)")


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_camera_scan_with_its_pages_and_a_refusal(axe_page, tmp_path):
    """Issue 21: on a phone, the camera beside the file picker, then two pages photographed
    (one kept, one to check, one turned) with a picture refused, then the PDF attached."""
    from tests.e2e.camera import photo

    login(axe_page)
    expect(axe_page).to_have_url(re.compile(r"/espace/"))
    path = "/espace/demande-remboursement/"
    visit(axe_page, path)
    scan = axe_page.get_by_test_id("scan")
    expect(scan.get_by_role("button", name="Photographier un document")).to_be_visible()
    check(axe_page, path, " (appareil photo)")
    camera = scan.get_by_test_id("scan-camera")
    camera.set_input_files(str(photo(tmp_path / "page-1.jpg", 600, 800)))
    scan.get_by_role("button", name="Garder cette page (page 1)").click()
    camera.set_input_files(str(photo(tmp_path / "page-2.png", 900, 600, fmt="PNG")))
    scan.get_by_role("button", name="Tourner (page 2)").click()
    (tmp_path / "note.jpg").write_bytes(b"no picture")
    camera.set_input_files(str(tmp_path / "note.jpg"))
    expect(scan.get_by_test_id("scan-message")).to_be_visible()
    expect(scan.get_by_test_id("scan-page")).to_have_count(2)
    check(axe_page, path, " (pages photographiées, une photo refusée)")
    scan.get_by_role("button", name="Terminer et joindre").click()
    expect(axe_page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")
    check(axe_page, path, " (document photographié joint)")
