"""« Mon contrat » (issue 10), on a computer and a phone: the contract and the way to every
action, the tiers payant card (kept offline until logout, its QR code's public check), the
guarantees against the API, the public comparison and an estimate, and the three changes filed
as requests (a benefit RIB, a child, a portabilité)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import CHROMIUM, PAUL, login
from tests.e2e.helpers import (
    PDF_INVOICE,
    api,
    cents,
    french_date,
    mails_when,
    open_account_menu,
    signed_in,
)
from tests.e2e.test_requests_journeys import act, status_of

PDF = {"name": "justificatif.pdf", "mimeType": "application/pdf", "buffer": PDF_INVOICE}
NEW_IBAN = "FR76 3000 6000 0112 3456 7890 189"  # Crédit Agricole, valid


def open_contract(page, who=None):
    login(page, *([who] if who else []))
    expect(page).to_have_url(re.compile(r"/espace/remboursements/"))
    page.get_by_role("navigation", name="Menu de mon espace").get_by_role(
        "link", name="Mon contrat").click()
    expect(page).to_have_url(re.compile(r"/espace/contrat/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon contrat")
    # Longer than the default: on a fresh stack, the function's first call starts its workers.
    expect(page.get_by_test_id("beneficiary").first).to_be_visible(timeout=30_000)


def open_from_queue(desk, reference: str, kind: str) -> None:
    """The advisor finds the request in her queue, filtered on its kind, and opens it."""
    desk.goto(f"/conseiller/?type={kind}")
    row = desk.get_by_test_id("queue-row").filter(has_text=reference)
    for _ in range(20):
        expect(desk.get_by_test_id("queue-row").first).to_be_visible()
        if row.count():
            break
        desk.get_by_test_id("load-more").click()
    row.get_by_role("link").click()
    expect(desk.get_by_test_id("request-reference")).to_have_text(reference)


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= \
        page.viewport_size["width"]


def test_the_contract_shows_the_family_the_accounts_and_the_way_to_each_action(page,
                                                                              viewport):
    open_contract(page)
    contract = page.get_by_test_id("contract")
    expect(contract.get_by_role("heading", name="Formule Équilibre")).to_be_visible()
    expect(contract).to_contain_text("Contrat collectif, souscrit par Transports Lumière SA")
    karim = page.get_by_test_id("beneficiary").filter(has_text="Karim Lambert")
    expect(karim).to_contain_text("Affection de longue durée : Diabète de type 2")
    expect(karim).to_contain_text("Régime général")
    expect(page.get_by_test_id("beneficiary").filter(has_text="Fatima Lambert")).to_contain_text(
        "maternité")
    # Accounts are masked, on the page as in the API.
    expect(contract).to_contain_text(re.compile(r"FR14 •••• •••• •••• •••• •••• 606"))
    assert not re.search(r"FR\d\d ?\d{4} ?\d{4}", contract.inner_text())

    late = page.get_by_test_id("late-instalments")
    expect(late).to_contain_text(re.compile(r"\d+ échéances? de cotisation"))
    expect(late.get_by_role("link", name="Vérifier ma situation")).to_have_attribute(
        "href", re.compile(r"/espace/contrat/situation/$"))

    card_button = page.get_by_role("link", name="Afficher la carte mutualiste")
    title = page.get_by_role("heading", level=1).bounding_box()
    button = card_button.bounding_box()
    if viewport == "desktop":  # at the top right, beside the title
        assert button["x"] > title["x"] + 400 and abs(button["y"] - title["y"]) < 40
    else:  # under the title, the whole width; the bottom bar holds the sections, whole
        assert button["y"] > title["y"] and button["width"] > 300
        bar = page.get_by_role("navigation", name="Menu de mon espace")
        expect(bar.locator(".ea-nav__short:visible")).to_contain_text(["Contrat", "Menu"])
        expect(bar.get_by_role("link", name="Mon contrat")).to_have_attribute(
            "aria-current", "page")
        assert bar.evaluate("""nav => [...nav.querySelectorAll('.ea-nav__short')].every(
            label => label.scrollWidth <= label.clientWidth)""")
    for name, target in (
        ("Afficher les garanties de remboursement", r"/espace/contrat/garanties/$"),
        ("Ajouter un bénéficiaire", r"/espace/contrat/beneficiaire/$"),
        ("Changer le compte de prélèvement", r"coordonnees-bancaires/\?pour=cotisations$"),
        ("Changer le compte de remboursement de Karim Lambert",
         r"coordonnees-bancaires/\?beneficiaire=B02$"),
        ("Faire une déclaration de portabilité", r"/espace/contrat/portabilite/$"),
    ):
        expect(page.get_by_role("link", name=name)).to_have_attribute("href", re.compile(target))
    assert fits(page)


@pytest.mark.parametrize("viewport", ["phone"])
def test_an_individual_contract_has_no_portability(page):
    open_contract(page, PAUL)
    contract = page.get_by_test_id("contract")
    expect(contract).to_contain_text("Contrat individuel")
    expect(contract).to_contain_text("Régime local d'Alsace-Moselle")
    expect(contract).to_contain_text("Complémentaire santé solidaire")
    expect(page.get_by_test_id("late-instalments")).to_have_count(0)
    expect(page.get_by_role("link", name="Faire une déclaration de portabilité")).to_have_count(0)
    page.goto("/espace/contrat/portabilite/")
    expect(page.get_by_text("Votre contrat est individuel")).to_be_visible()
    expect(page.get_by_role("button", name="Vérifier mes droits")).to_be_hidden()


@pytest.mark.service_worker
def test_the_card_stays_readable_offline_until_she_logs_out(page):
    open_contract(page)
    page.get_by_role("link", name="Afficher la carte mutualiste").click()
    expect(page).to_have_url(re.compile(r"/espace/contrat/carte/$"))
    card = page.get_by_test_id("card")
    data = api(page, "GET", "/contract/card", expect_status=200)
    for text in (data["amc_number"], data["convention_type"], data["routing"],
                 data["member_number"], data["tiers_payant_phone"], "Karim Lambert",
                 "Inès Lambert", "du 01/01/"):
        expect(card).to_contain_text(text)
    expect(page.get_by_test_id("card-responsable")).to_have_text(re.compile("R"))
    expect(card.get_by_role("img", name="Code QR de vérification de la carte")).to_have_attribute(
        "src", re.compile(r"^data:image/svg\+xml;base64,"))
    expect(page.get_by_test_id("card-kept")).to_be_visible()
    assert fits(page)
    # The PDF, for printing.
    with page.expect_download() as download:
        page.get_by_test_id("card-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The service worker has kept the page's files: without network the card is still there.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_text("Vous n'êtes pas connecté à internet")).to_be_visible()
    expect(card).to_contain_text("Karim Lambert")
    expect(card).to_contain_text(data["member_number"])
    # Any other page of the space: the offline page, which leads to the card.
    page.goto("/espace/remboursements/")
    expect(page).to_have_url(re.compile(r"/hors-connexion/"))
    page.get_by_role("link", name="Afficher ma carte mutualiste").click()
    expect(card).to_contain_text("Karim Lambert")
    page.context.set_offline(False)
    # Back online, the page reads the card from the API again.
    expect(page.get_by_test_id("card-kept")).to_be_visible()
    expect(page.get_by_text("Vous n'êtes pas connecté à internet")).to_be_hidden()

    # The tab closed (the session is gone): the card is still on the device, and the sign-in
    # page leads to it.
    page.evaluate("() => sessionStorage.clear()")
    page.goto("/espace/contrat/carte/")
    expect(page.get_by_text("Votre session est fermée")).to_be_visible()
    expect(card).to_contain_text("Karim Lambert")
    page.goto("/connexion/")
    expect(page.get_by_role("link", name="afficher ma carte")).to_be_visible()

    # Signed in again, then out: the card is gone from the device, online or not.
    login(page)
    signed_in(page)
    page.goto("/espace/contrat/carte/")
    expect(page.get_by_test_id("card-kept")).to_be_visible()
    open_account_menu(page)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert "ea-carte" not in page.evaluate("() => caches.keys()")
    expect(page.get_by_role("link", name="afficher ma carte")).to_be_hidden()
    page.context.set_offline(True)
    page.goto("/espace/contrat/carte/")
    expect(page).to_have_url(re.compile(r"/hors-connexion/"))
    expect(page.get_by_text("Aucune carte mutualiste n'est enregistrée")).to_be_visible()
    expect(page.get_by_text("Karim Lambert")).to_have_count(0)
    page.context.set_offline(False)


@pytest.mark.parametrize("viewport", ["phone"])  # the professional's phone
def test_the_qr_code_opens_the_public_check_with_initials_only(page):
    login(page)
    signed_in(page)
    data = api(page, "GET", "/contract/card", expect_status=200)
    target = urlsplit(data["check_url"])
    assert target.path == "/verifier-carte/" and target.query.startswith("c=")
    page.evaluate("() => sessionStorage.clear()")  # no sign-in on the professional's phone
    page.goto(f"{target.path}?{target.query}")
    check = page.get_by_test_id("card-check")
    expect(check.get_by_role("heading", name="Carte valable")).to_be_visible()
    expect(check).to_contain_text(re.compile(r"valable aujourd'hui, jusqu'au 31/12/\d{4}"))
    holders = page.get_by_test_id("card-check-holders")
    expect(holders).to_contain_text("F. L., naissance en 1987")
    expect(holders).to_contain_text("K. L., naissance en 1985")
    for secret in ("Fatima", "Lambert", data["member_number"], "Régime"):
        expect(page.locator("main")).not_to_contain_text(secret)
    assert fits(page)

    page.goto("/verifier-carte/?c=" + "x" * 24)
    expect(check.get_by_role("heading", name="Carte inconnue")).to_be_visible()
    expect(check).to_contain_text("Cette carte est inconnue")
    page.goto("/verifier-carte/")
    expect(page.get_by_role("alert")).to_contain_text("Ce lien de vérification est incomplet")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_guarantees_agree_with_the_api_the_public_comparison_and_an_estimate(page):
    login(page)
    signed_in(page)
    table = api(page, "GET", "/contract/guarantees", expect_status=200)
    lines = {line["key"]: line for category in table["categories"] for line in category["lines"]}
    gp = lines["consultation_gp"]["example"]

    page.goto("/espace/contrat/")
    page.get_by_role("link", name="Afficher les garanties de remboursement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes garanties de remboursement")
    shown = page.get_by_test_id("guarantee-line")
    expect(shown).to_have_count(len(lines))
    for key, line in lines.items():
        item = page.locator(f'[data-testid="guarantee-line"][data-key="{key}"]')
        expect(item).to_contain_text(line["label"])
        if line["example"]:
            assert cents(item.locator('[data-figure="mutual"]').inner_text()) == \
                line["example"]["mutual_cents"], key
            assert cents(item.locator('[data-figure="oop"]').inner_text()) == \
                line["example"]["out_of_pocket_cents"], key

    # The public comparison, made at build time from the engine: the same figures.
    page.get_by_role("link", name="Comparer avec les autres formules").click()
    expect(page).to_have_url(re.compile(r"/garanties/$"))
    for key, line in lines.items():
        if not line["example"]:
            continue
        cell = page.locator(f'tr[data-line="{key}"] td[data-formula="{table["formula_id"]}"]')
        assert cents(cell.locator('[data-figure="mutual"]').inner_text()) == \
            line["example"]["mutual_cents"], key
        assert cents(cell.locator('[data-figure="out-of-pocket"]').inner_text()) == \
            line["example"]["out_of_pocket_cents"], key

    # And an estimate of the same GP consultation for an adult with no particular situation.
    estimate = api(page, "POST", "/claims/estimates", {
        "beneficiary_id": "B02", "act_code": gp["act_code"], "care_date": table["on"],
        "price_cents": gp["price_cents"], "practitioner": {"sector": 1, "optam": True},
        "care_pathway": True}, expect_status=201)
    assert estimate["totals"]["social_security_cents"] == gp["social_security_cents"]
    assert estimate["totals"]["mutual_cents"] == gp["mutual_cents"]
    assert estimate["totals"]["out_of_pocket_cents"] == gp["out_of_pocket_cents"]


def test_a_new_benefit_account_is_told_by_email_checked_by_an_advisor_and_shown_masked(
        page, advisor):  # noqa: F811
    open_contract(page)
    page.get_by_role("link", name="Changer le compte de remboursement de Karim Lambert").click()
    expect(page.get_by_role("heading", name="Attention aux fraudes")).to_be_visible()
    karim = page.get_by_role("radio", name="Recevoir les remboursements de Karim Lambert")
    expect(karim).to_be_checked()
    expect(page.get_by_text("Compte actuel pour les remboursements de Karim Lambert")) \
        .to_be_visible()

    iban = page.get_by_label("IBAN du nouveau compte")
    iban.fill("FR76 3000 6000 0112 3456 7890 180")
    expect(page.get_by_test_id("iban-check")).to_contain_text("n'est pas valide")
    iban.fill(NEW_IBAN)
    check = page.get_by_test_id("iban-check")
    expect(check).to_contain_text("IBAN valide : CREDIT AGRICOLE SA")
    expect(check).to_contain_text("FR76 •••• •••• •••• •••• •••• 189")
    page.get_by_label("Titulaire du compte").fill("Karim Lambert")
    page.get_by_label("RIB du nouveau compte").set_input_files(files=[PDF])
    expect(page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")

    password = page.get_by_label("Votre mot de passe")
    password.fill("pas-le-bon")
    page.get_by_role("button", name="Envoyer ma demande de changement").click()
    expect(password).to_have_accessible_description(re.compile("mot de passe n'est pas le bon"))
    expect(password).to_have_value("")

    password.fill("Demo-Adherent-2026!")
    page.get_by_role("button", name="Envoyer ma demande de changement").click()
    success = page.get_by_role("heading", name="Votre demande est envoyée")
    expect(success).to_be_focused()
    reference = page.get_by_test_id("request-reference").inner_text()
    assert re.fullmatch(r"RB-?[\w-]+", reference), reference
    done = page.locator("section.ea-success")
    expect(done).to_contain_text("vient d'être envoyé à votre adresse fatima.l@example.fr")
    expect(done).to_contain_text("Un conseiller vérifie le RIB")
    expect(page.get_by_test_id("bank-new-account")).to_contain_text(
        "FR76 •••• •••• •••• •••• •••• 189")
    expect(page.get_by_test_id("request-link")).to_have_attribute(
        "href", re.compile(r"/espace/demandes/detail/\?id=.+"))

    request_id = page.get_by_test_id("request-link").get_attribute("href").split("id=")[1]

    # To the address on file (through the outbox, a moment later); the account itself is
    # never written in the email.
    mails_when(page, lambda ms: any("Demande de changement de coordonnées bancaires" in
                                    m["body"] + m["subject"] and reference in m["body"]
                                    + m["subject"] for m in ms))
    page.goto("/local/courriels/")
    mail = page.locator("article", has_text="Demande de changement de coordonnées bancaires") \
        .filter(has_text=reference)
    expect(mail).to_contain_text("fatima.l@example.fr")
    expect(mail).to_contain_text("Si vous n'êtes pas à l'origine de cette demande")
    expect(mail).not_to_contain_text("3000 6000")

    # The advisor sees where the request came from and whether the access changed lately,
    # the account masked, then accepts it.
    open_from_queue(advisor, reference, "bank_details")
    seen = advisor.get_by_test_id("advisor-request")
    expect(seen).to_contain_text("FR76 •••• •••• •••• •••• •••• 189")
    expect(seen).to_contain_text("CREDIT AGRICOLE SA")
    expect(seen).to_contain_text(re.compile(r"Demandé depuis\s*127\.0\.0\.1 — .*Chrom"))
    expect(seen).to_contain_text(re.compile(r"Changements de l'accès.*\s*Aucun"))
    assert "3000 6000" not in seen.inner_text()
    act(advisor, "Prendre en charge")
    act(advisor, "Accepter")
    expect(status_of(advisor)).to_contain_text("Acceptée")

    # Her request is done, and the contract shows the new account, masked.
    page.goto(f"/espace/demandes/detail/?id={request_id}")
    expect(status_of(page)).to_contain_text("Acceptée")
    page.goto("/espace/contrat/")
    karim = page.get_by_test_id("beneficiary").filter(has_text="Karim Lambert")
    expect(karim).to_contain_text("FR76 •••• •••• •••• •••• •••• 189")
    expect(page.get_by_test_id("contract")).not_to_contain_text("3000 6000")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_child_is_added_through_a_request_the_advisor_accepts(page, advisor):  # noqa: F811
    open_contract(page)
    page.get_by_role("link", name="Ajouter un bénéficiaire").click()
    # The documents asked come from the request kinds (the page said « de la personne »).
    expect(page.get_by_text("L'attestation de droits à l'Assurance maladie du bénéficiaire")) \
        .to_be_visible()
    send = page.get_by_role("button", name="Envoyer ma demande")
    send.click()
    summary = page.get_by_role("heading", name=re.compile("Le formulaire contient")).locator("..")
    expect(summary).to_be_focused()
    for text in ("Indiquez le prénom", "Indiquez sa date de naissance",
                 "Choisissez son lien avec vous", "Joignez au moins un justificatif"):
        expect(summary).to_contain_text(text)

    page.get_by_label("Prénom").fill("Léo")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("Date de naissance").fill("2024-03-18")
    page.get_by_role("radio", name="Enfant").check()
    nir = page.get_by_label("Numéro de sécurité sociale (facultatif)")
    nir.fill("1234")
    send.click()
    expect(nir).to_have_accessible_description(re.compile("15 caractères"))
    nir.fill("")
    page.get_by_label("Documents à joindre").set_input_files(files=[PDF])
    expect(page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")
    send.click()
    expect(page.get_by_role("heading", name="Votre demande est envoyée")).to_be_focused()
    reference = page.get_by_test_id("request-reference")
    expect(reference).to_have_text(re.compile(r"^AB"))
    expect(page.get_by_text("ajout de Léo Lambert")).to_be_visible()
    expect(page.get_by_test_id("request-link")).to_have_attribute(
        "href", re.compile(r"/espace/demandes/detail/\?id=.+"))

    open_from_queue(advisor, reference.inner_text(), "beneficiary_add")
    seen = advisor.get_by_test_id("advisor-request")
    expect(seen).to_contain_text("Léo Lambert")
    expect(seen).to_contain_text("18/03/2024")
    expect(seen).to_contain_text("Enfant")
    act(advisor, "Prendre en charge")
    act(advisor, "Accepter")
    expect(status_of(advisor)).to_contain_text("Acceptée")

    # On the contract, and on the card.
    page.goto("/espace/contrat/")
    leo = page.get_by_test_id("beneficiary").filter(has_text="Léo Lambert")
    expect(leo).to_contain_text("Enfant")
    expect(leo).to_contain_text("18/03/2024")
    page.goto("/espace/contrat/carte/")
    expect(page.get_by_test_id("card")).to_contain_text("Léo Lambert")


@pytest.mark.parametrize("viewport", ["phone"])
def test_portability_says_eligibility_first_then_is_filed(page):
    end = clock.today() - timedelta(days=10)
    end = end.replace(day=min(end.day, 28))
    until = end.replace(year=end.year + 1)
    login(page)
    signed_in(page)
    # Also from « Faire une autre demande ».
    page.goto("/espace/demandes/nouvelle/")
    page.get_by_role("link", name="Faire une déclaration de portabilité").click()
    expect(page).to_have_url(re.compile(r"/espace/contrat/portabilite/$"))
    page.get_by_label("Début de votre dernier contrat de travail").fill(
        end.replace(year=end.year - 3).isoformat())
    page.get_by_label("Fin de ce contrat de travail").fill(end.isoformat())
    page.get_by_label("Motif de la fin du contrat").select_option("gross_misconduct")
    page.get_by_role("radio", name="Oui").check()
    check = page.get_by_role("button", name="Vérifier mes droits")
    check.click()
    verdict = page.get_by_test_id("eligibility")
    expect(verdict.get_by_role("heading")).to_have_text("Vous n'avez pas droit à la portabilité")
    expect(verdict).to_contain_text("faute lourde")
    expect(page.get_by_role("button", name="Envoyer ma déclaration")).to_be_hidden()

    page.get_by_label("Motif de la fin du contrat").select_option("dismissal")
    expect(verdict).to_be_hidden()  # a changed answer asks for a new check
    check.click()
    expect(verdict.get_by_role("heading")).to_have_text(
        f"Vous avez droit à la portabilité jusqu'au {french_date(until)}")
    expect(verdict.get_by_role("heading")).to_be_focused()
    expect(verdict).to_contain_text("12 mois")

    page.get_by_label("Documents à joindre").set_input_files(files=[PDF])
    expect(page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")
    page.get_by_role("button", name="Envoyer ma déclaration").click()
    expect(page.get_by_role("heading", name="Votre déclaration de portabilité est envoyée")) \
        .to_be_focused()
    expect(page.get_by_test_id("request-reference")).to_have_text(re.compile(r"^PO"))
    expect(page.get_by_text(f"jusqu'au {french_date(until)} au plus tard")).to_be_visible()
    expect(page.get_by_test_id("request-link")).to_have_attribute(
        "href", re.compile(r"/espace/demandes/detail/\?id=.+"))


def test_the_portal_is_installable_with_the_card_as_a_shortcut(browser, stack, tmp_path):
    """Chromium's own installability check, in a profile that is not incognito."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path), executable_path=CHROMIUM, base_url=stack["base_url"], locale="fr-FR",
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
    try:
        page = context.pages[0] if context.pages else context.new_page()
        login(page)
        signed_in(page)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert "espace/contrat/carte/" in manifest["data"]
    finally:
        context.close()
