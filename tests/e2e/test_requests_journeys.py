"""Issue 9 journeys: a member's « autre demande » and a reimbursement request, processed by an
advisor in a second browser, on desktop and phone; and the workspace kept from members."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PAUL, login
from tests.e2e.helpers import (
    ONE_VIEWPORT,
    PDF_INVOICE,
    api,
    cents,
    create_request,
    mails_when,
    settled,
    signed_in,
)
from tests.helpers import sample_image

KINDS = {"Autre demande": "other", "Demande de remboursement": "reimbursement"}


def open_from_queue(page, reference: str, kind: str) -> None:
    """Finds a request in the advisors' queue (oldest first: « Voir plus » until it shows) and
    opens it."""
    page.goto(f"/conseiller/?type={KINDS[kind]}")
    expect(page.get_by_label("Type de demande")).to_have_value(KINDS[kind])
    row = page.get_by_test_id("queue-row").filter(has_text=reference)
    more = page.get_by_test_id("load-more")
    for _ in range(20):
        expect(page.get_by_test_id("queue-row").first).to_be_visible()
        if row.count():
            break
        expect(more).to_be_visible()
        more.click()
    row.get_by_role("link").click()
    expect(page.get_by_test_id("request-reference")).to_have_text(reference)


def act(page, button: str, message: str | None = None) -> None:
    """An advisor's action: its button, its dialog, an optional message, its confirmation."""
    page.get_by_test_id("advisor-actions").get_by_role("button", name=button).click()
    dialog = page.get_by_test_id("advisor-action-dialog")
    expect(dialog).to_be_visible()
    if message is not None:
        dialog.get_by_role("textbox").fill(message)
    dialog.get_by_role("button", name=button).click()
    expect(dialog).to_have_count(0)


def status_of(page):
    return page.locator(".ea-detail__status")


def test_other_request_with_information_asked_and_answered(page, advisor, tmp_path):
    birth = tmp_path / "acte-de-naissance.pdf"
    birth.write_bytes(PDF_INVOICE)
    photo = tmp_path / "livret-de-famille.png"
    photo.write_bytes(sample_image())
    subject = f"Naissance de Lina {uuid.uuid4().hex[:6]}"

    # Fatima writes from « Mes remboursements ».
    login(page)
    signed_in(page)
    page.get_by_role("link", name="Faire une autre demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire une autre demande")
    page.get_by_label("Changement de situation").check()
    page.get_by_label("Objet").fill(subject)
    page.get_by_label("Votre message").fill("Bonjour,\nnotre fille Lina est née le 2 du mois.\n"
                                           "Merci de l'ajouter à mon contrat.")
    page.get_by_label("Documents (facultatif)").set_input_files(str(birth))
    expect(page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")
    page.get_by_role("button", name="Envoyer ma demande").dblclick()  # one request all the same
    reference = page.get_by_test_id("request-reference")
    expect(reference).to_have_text(re.compile(r"^DA-\d{4}-[0-9A-F]{8}$"))
    ref = reference.inner_text()
    expect(page.get_by_text("Et maintenant ?")).to_be_visible()
    page.get_by_role("link", name="Suivre ma demande").click()
    expect(status_of(page)).to_contain_text("Envoyée")
    expect(page.locator(".ea-doc-list").first).to_contain_text("acte-de-naissance.pdf")
    sent = [r for r in api(page, "GET", f"/support/requests?q={ref}")["items"]]
    assert len(sent) == 1, sent

    # The advisor finds it, sees the member's file and the document, takes it, asks.
    open_from_queue(advisor, ref, "Autre demande")
    member = advisor.get_by_test_id("advisor-member")
    expect(member).to_contain_text("Équilibre")
    expect(member).to_contain_text("Karim Lambert")
    expect(advisor.locator(".ea-doc-list").first).to_contain_text("acte-de-naissance.pdf")
    act(advisor, "Prendre en charge")
    expect(status_of(advisor)).to_contain_text("En cours de traitement")
    expect(advisor.get_by_text("À moi")).to_be_visible()
    # Asking needs a question: said under the field, nothing sent.
    advisor.get_by_test_id("advisor-actions").get_by_role(
        "button", name="Demander des informations").click()
    dialog = advisor.get_by_test_id("advisor-action-dialog")
    dialog.get_by_role("button", name="Demander des informations").click()
    expect(dialog.get_by_role("textbox")).to_have_accessible_description(
        re.compile("Écrivez votre question"))
    dialog.get_by_role("button", name="Annuler").click()
    act(advisor, "Demander des informations",
        "Merci de joindre le livret de famille.\nUne photo nette suffit.")
    expect(status_of(advisor)).to_contain_text("Informations demandées")

    # Fatima sees it marked, in the list and in the menu, and answers with a document.
    page.goto("/espace/demandes/")
    row = page.get_by_test_id("request-row").filter(has_text=ref)
    expect(row).to_contain_text("Nouveau")
    expect(row).to_contain_text("Informations demandées")
    menu = page.get_by_role("navigation", name="Menu de mon espace")
    expect(menu.get_by_role("link", name=re.compile(r"^Mes demandes.*non lue"))).to_be_visible()
    row.get_by_role("link").click()
    form = page.get_by_test_id("request-answer-form")
    expect(form).to_contain_text("Merci de joindre le livret de famille.")
    form.get_by_label("Votre réponse").fill("Voici le livret de famille.\nBonne journée.")
    form.get_by_label("Documents (facultatif)").set_input_files(str(photo))
    expect(form.get_by_test_id("upload-file")).to_contain_text("Fichier prêt")
    form.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Votre réponse est envoyée")).to_be_visible()
    expect(status_of(page)).to_contain_text("En cours de traitement")
    expect(page.get_by_test_id("request-answer-form")).to_have_count(0)
    page.goto("/espace/demandes/")
    expect(page.get_by_test_id("request-row").filter(has_text=ref)).not_to_contain_text("Nouveau")

    # The advisor sees the answer and its document, and accepts with a message.
    advisor.reload()
    history = advisor.locator(".ea-timeline")
    expect(history).to_contain_text("Réponse de l'adhérent")
    expect(history).to_contain_text("livret-de-famille.png")
    # The dialog says truthfully where she reads what: the email tells the outcome, never the
    # message (it used to promise the answer « dans l'e-mail »).
    advisor.get_by_test_id("advisor-actions").get_by_role("button", name="Accepter").click()
    dialog = advisor.get_by_test_id("advisor-action-dialog")
    expect(dialog).to_contain_text(re.compile(r"«\sAcceptée\s»"))
    field = dialog.get_by_role("textbox")
    expect(field).to_have_accessible_description(re.compile(
        r"sans votre message\s: il le lit dans son espace, rubrique «\sMes demandes\s»"))
    expect(field).not_to_have_accessible_description(re.compile("dans l'e-mail qui"))
    dialog.get_by_role("button", name="Annuler").click()
    act(advisor, "Accepter", "Lina est ajoutée à votre contrat.\nSa carte suit par courrier.")
    expect(status_of(advisor)).to_contain_text("Acceptée")
    expect(advisor.get_by_test_id("advisor-actions")).to_contain_text("close")

    # Fatima reads the answer, its line breaks kept.
    page.get_by_test_id("request-row").filter(has_text=ref).get_by_role("link").click()
    expect(status_of(page)).to_contain_text("Acceptée")
    answer = page.get_by_test_id("request-answer")
    expect(answer).to_contain_text("Lina est ajoutée à votre contrat.")
    assert "contrat.\nSa carte" in answer.locator(".ea-message").inner_text()

    # Each step was emailed (through the outbox); the local stack lists the emails.
    mails_when(page, lambda ms: any(f"Votre demande n° {ref} a été acceptée" in m["subject"]
                                    for m in ms))
    page.goto("/local/courriels/")
    mails = page.get_by_role("heading", level=2)
    expect(mails.filter(has_text=f"Nous avons bien reçu votre demande n° {ref}")).to_have_count(1)
    expect(mails.filter(has_text=f"Votre demande n° {ref} a été acceptée")).to_have_count(1)
    accepted = page.locator("article.mail").filter(has_text=f"n° {ref} a été acceptée")
    expect(accepted).to_contain_text("Votre demande n° " + ref + " a été acceptée.")
    expect(accepted).to_contain_text(f"{page.url.split('/local/')[0]}/espace/demandes/detail/?id=")


def test_accepted_reimbursement_request_is_in_my_reimbursements(page, advisor):
    login(page)
    signed_in(page)
    request = create_request(page)
    ref = request["reference"]

    # The advisor sees the engine's split before deciding, takes the request, accepts it.
    open_from_queue(advisor, ref, "Demande de remboursement")
    split = advisor.locator("#advisor-split").locator("..")
    expect(advisor.locator(".ea-split__bar")).to_be_visible()
    lines = advisor.locator(".ea-lines")
    expect(lines.locator(".ea-lines__row--mutual .ea-lines__explanation")).not_to_be_empty()
    figures = {key: cents(lines.locator(f".ea-lines__row--{key} .ea-lines__amount").inner_text())
               for key in ("real_cost", "social_security", "mutual", "out_of_pocket")}
    assert figures["real_cost"] == 3000
    assert figures["real_cost"] == (figures["social_security"] + figures["mutual"]
                                    + figures["out_of_pocket"])
    act(advisor, "Prendre en charge")
    expect(advisor.get_by_test_id("advisor-actions").get_by_role("button", name="Accepter")
           ).to_be_visible()
    act(advisor, "Accepter")
    # Accepting sends it for payment: the management system pays it.
    expect(status_of(advisor)).to_contain_text("Transmise pour paiement")
    expect(split).to_contain_text("Le remboursement est transmis pour paiement")

    # Fatima: the request leads to the décompte, with the same figures, « en cours ».
    page.goto(f"/espace/demandes/detail/?id={request['id']}")
    expect(status_of(page)).to_contain_text("Transmise pour paiement")
    page.get_by_test_id("request-claim-link").click()
    expect(page).to_have_url(re.compile(r"/espace/remboursements/decompte/\?id="))
    claim_id = page.url.split("id=")[1]
    shown = page.locator(".ea-lines")
    for key, amount in figures.items():
        assert cents(shown.locator(f".ea-lines__row--{key} .ea-lines__amount").inner_text()) \
            == amount, key
    # ... and in « Mes remboursements », not paid yet.
    page.goto("/espace/remboursements/")
    row = page.locator(f'[data-testid="claim-row"][data-id="{claim_id}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text("En cours de traitement")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_an_action_on_a_request_changed_meanwhile_says_so_and_reloads(page, advisor):
    """The advisor acts on the version she read; taken meanwhile (another tab, a colleague),
    the request is not changed, she is told why and can see it as it is now."""
    login(page, PAUL)
    expect(page).to_have_url(re.compile(r"/espace/remboursements/$"))
    created = api(page, "POST", "/support/requests/other", {
        "category": "other", "subject": f"Attestation {uuid.uuid4().hex[:6]}",
        "message": "Une attestation d'adhésion, s'il vous plaît."}, expect_status=201)
    ref = created["reference"]
    open_from_queue(advisor, ref, "Autre demande")
    ref_path = advisor.url.split("id=")[1]
    api(advisor, "POST", f"/support/advisor/requests/{ref_path}/take", {"version": 1},
        expect_status=200)

    advisor.get_by_test_id("advisor-actions").get_by_role(
        "button", name="Demander des informations").click()
    dialog = advisor.get_by_test_id("advisor-action-dialog")
    dialog.get_by_role("textbox").fill("Pour quel organisme ?")
    dialog.get_by_role("button", name="Demander des informations").click()
    expect(dialog.get_by_role("alert")).to_contain_text("a changé depuis que vous l'avez ouverte")
    dialog.get_by_role("button", name="Recharger la demande").click()
    expect(dialog).to_have_count(0)
    expect(status_of(advisor)).to_contain_text("En cours de traitement")
    expect(advisor.get_by_test_id("advisor-member")).to_contain_text("Paul Martin")
    history = api(advisor, "GET", f"/support/advisor/requests/{ref_path}")["history"]
    assert [event["action"] for event in history] == ["send", "take"]


@ONE_VIEWPORT
def test_members_are_kept_out_of_the_workspace(page):
    login(page)
    signed_in(page)
    for path in ("/conseiller/", "/conseiller/demande/?id=un-lien-de-conseiller"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/espace/remboursements/$"))
        signed_in(page)
    # And the API does not show her the queue, nor a request through it: the advisors' routes
    # take no token of the members' pool (401, as on AWS where their authorizer refuses it).
    api(page, "GET", "/support/advisor/queue", expect_status=401)
    mine = api(page, "GET", "/support/requests?limit=1", expect_status=200)["items"][0]
    me = api(page, "GET", "/members/me", expect_status=200)
    ref = f"{me['member_number']}_{mine['id']}"
    api(page, "GET", f"/support/advisor/requests/{ref}", expect_status=401)


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size[
        "width"]


@pytest.mark.parametrize("viewport", ["phone"])
def test_request_pages_fit_a_phone_and_its_bottom_bar(page, advisor):
    login(page)
    signed_in(page)
    # The main sections and « Menu » in the bottom bar, each label whole.
    bar = page.get_by_role("navigation", name="Menu de mon espace")
    expect(bar.get_by_role("link", name="Mes demandes")).to_be_visible()
    assert bar.locator(".ea-nav__bar > li").count() <= 5
    assert bar.evaluate("""nav => [...nav.querySelectorAll('.ea-nav__short')].every(
        label => label.scrollWidth <= label.clientWidth)""")
    page.goto("/espace/demandes/")
    first = page.get_by_test_id("request-row").first.get_by_role("link")
    expect(first).to_be_visible()
    detail = first.get_attribute("href")
    shown = {"/espace/demandes/": page.get_by_test_id("request-row").first,
             "/espace/demandes/nouvelle/": page.get_by_label("Réclamation"),
             detail: page.get_by_test_id("request-reference")}
    for path, content in shown.items():
        page.goto(path)
        expect(content).to_be_visible()
        settled(page)
        assert fits(page), path

    advisor.goto("/conseiller/?etat=in_progress")
    first = advisor.get_by_test_id("queue-row").first.get_by_role("link")
    expect(first).to_be_visible()
    detail = first.get_attribute("href")
    for path, content in (("/conseiller/", advisor.get_by_test_id("queue-row").first),
                          (detail, advisor.get_by_test_id("advisor-member"))):
        advisor.goto(path)
        expect(content).to_be_visible()
        settled(advisor)
        assert fits(advisor), path
