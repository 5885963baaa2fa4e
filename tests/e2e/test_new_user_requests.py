"""What a new user met (issue 18), on a computer and a phone: a reimbursement request keeps
the OPTAM and care-pathway answers she gave (11), the same care sent twice is warned about
before sending and shown to the advisor (9), and a care the mutuelle paid nothing for says
who paid, with no « versement » of 0,00 € to an account (3)."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import login
from tests.e2e.helpers import PDF_INVOICE, signed_in
from tests.e2e.test_accessibility import axe_page, check  # noqa: F401 (fixture)
from tests.e2e.test_claims_journeys import choose_care, choose_person
from tests.e2e.test_requests_journeys import open_from_queue

DAYS_AGO = {"desktop": 3, "phone": 4}  # one care per viewport: the stack is shared
OPTAM = {"desktop": "Non", "phone": "Je ne sais pas"}  # each answer shown as she gave it


def fill_request(page, invoice, viewport) -> None:
    page.goto("/espace/demande-remboursement/")
    choose_person(page, "Bénéficiaire des soins", "Karim")
    choose_care(page, "Soin", "spécialiste", "^Consultation chez un médecin spécialiste")
    page.get_by_label("Date des soins").fill(
        (clock.today() - timedelta(days=DAYS_AGO[viewport])).isoformat())
    page.get_by_label("Montant payé, en euros").fill("62,00")
    page.get_by_label(re.compile("^Conventionné secteur 2")).check()
    page.locator("#dem-optam").get_by_label(OPTAM[viewport], exact=True).check()
    page.get_by_label(re.compile("^Je consulte mon médecin traitant")).uncheck()
    page.get_by_label("Factures, feuilles de soins ou prescriptions").set_input_files(
        str(invoice))
    expect(page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")
    page.get_by_role("button", name="Vérifier ma demande").click()
    expect(page.get_by_role("heading", name="3. Vérifiez et envoyez")).to_be_visible()


def facts_of(page) -> dict[str, str]:
    terms = page.locator(".ea-detail__summary dt").all_inner_texts()
    values = page.locator(".ea-detail__summary dd").all_inner_texts()
    return dict(zip(terms, values, strict=False))


def test_her_answers_are_kept_and_the_same_care_twice_is_warned_about(axe_page, advisor,  # noqa: F811
                                                                     tmp_path, viewport):
    page = axe_page  # the warning is checked by axe too
    invoice = tmp_path / "facture-specialiste.pdf"
    invoice.write_bytes(PDF_INVOICE)
    login(page)
    signed_in(page)

    fill_request(page, invoice, viewport)
    expect(page.get_by_test_id("request-duplicate")).to_have_count(0)
    page.get_by_role("button", name="Envoyer ma demande").click()
    first = page.get_by_test_id("request-reference")
    expect(first).to_have_text(re.compile(r"^DR-"))
    first_ref = first.inner_text()

    # Her detail shows what she answered: sector 2, OPTAM (no, or not known), outside the
    # care pathway.
    page.get_by_role("link", name="Suivre ma demande").click()
    expect(page.get_by_test_id("request-reference")).to_have_text(first_ref)
    shown = facts_of(page)
    assert shown["Professionnel de santé"].startswith("Secteur 2"), shown
    assert shown["Médecin adhérent à l'OPTAM"].startswith(OPTAM[viewport]), shown
    assert shown["Parcours de soins coordonnés"] == "Non", shown

    # The same care again: told before sending, with a link to the first; she may still send.
    fill_request(page, invoice, viewport)
    warning = page.get_by_test_id("request-duplicate")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Vous avez déjà envoyé ce soin")
    expect(warning.get_by_role("link", name=f"demande n° {first_ref}")).to_be_visible()
    check(page, "/espace/demande-remboursement/", " (même soin déjà envoyé)")
    page.get_by_role("button", name="Envoyer quand même").click()
    second = page.get_by_test_id("request-reference")
    expect(second).to_have_text(re.compile(r"^DR-"))
    second_ref = second.inner_text()
    assert second_ref != first_ref

    # The advisor sees the likely duplicate, and the member's answers.
    open_from_queue(advisor, second_ref, "Demande de remboursement")
    duplicates = advisor.get_by_test_id("advisor-duplicates")
    expect(duplicates).to_contain_text("Doublon probable")
    duplicates.get_by_role("link", name=f"Demande n° {first_ref}").click()
    expect(advisor.get_by_test_id("request-reference")).to_have_text(first_ref)
    content = advisor.locator("#advisor-content").locator("..")
    expect(content).to_contain_text("Médecin adhérent à l'OPTAM")
    expect(content).to_contain_text("Parcours de soins coordonnés")


def test_a_care_paid_in_full_by_the_assurance_maladie_says_who_paid(axe_page):  # noqa: F811
    page = axe_page
    login(page)
    signed_in(page)
    row = page.get_by_test_id("claim-row").filter(
        has=page.get_by_test_id("claim-payer")).first
    # Said in the list, without a click.
    expect(row.get_by_test_id("claim-payer")).to_contain_text(
        "Pris en charge à 100 % par l'Assurance Maladie")
    expect(row.get_by_test_id("claim-payer")).to_be_visible()
    check(page, "/espace/remboursements/", " (qui a payé)")
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/espace/remboursements/decompte/\?id="))
    payment = page.locator("#claim-payment").locator("..")
    expect(payment.get_by_test_id("claim-no-payment")).to_contain_text(
        "aucun versement n'a été fait sur votre compte")
    expect(payment).not_to_contain_text("Sur le compte")
    expect(payment).not_to_contain_text("0,00")
    check(page, page.url, " (rien versé par la mutuelle)")
