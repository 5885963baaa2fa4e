"""« Contact & aide » as Fatima and an advisor use it, on a computer and on a phone: a question,
the estimated wait, the advisor's answer in a second browser, the unread marker gone once read,
the email that says there is a message (never what it says), a call-back booked; the help and
legal pages from the footer; every call-back she asked for in « Mes rappels »."""

import re
import uuid

from playwright.sync_api import expect

from shared import clock
from support.logic.opening_hours import default_hours
from tests.e2e.conftest import ADVISOR, FATIMA, VIEWPORTS, login
from tests.e2e.helpers import api, mails_when, open_section, signed_in


def expected_wait() -> re.Pattern:
    """What the page says of the wait at this moment of the real day: a wait while the
    advisors are open (or that none is free), when they reopen otherwise."""
    if default_hours().is_open(clock.now()):
        return re.compile(r"^(≈ \d+ (min|h( \d\d)?) d'attente estimée"
                          r"|Aucun conseiller n'est disponible en ce moment)$")
    return re.compile(r"^Nos conseillers vous répondent à partir de ")


def open_contact(page):
    open_section(page, "Contact & aide")
    expect(page.get_by_role("heading", level=1, name="Contact & aide")).to_be_visible()


def test_a_question_is_answered_and_read(page, browser, stack, viewport):
    subject = f"Attestation pour la crèche ({viewport} {uuid.uuid4().hex[:6]})"
    answer_text = "Bonjour Madame Lambert, votre attestation est dans Mes documents."
    login(page)
    signed_in(page)
    open_contact(page)
    expect(page.get_by_test_id("wait-label")).to_have_text(expected_wait())

    page.get_by_label("Objet de votre message").fill(subject)
    page.get_by_label("Votre message", exact=True).fill(
        "Bonjour,\nla crèche d'Inès demande une attestation.")
    page.get_by_role("button", name="Envoyer mon message").click()
    expect(page.get_by_text("Message envoyé")).to_be_visible()
    row = page.get_by_test_id("thread-row").filter(has_text=subject)
    expect(row).to_contain_text("En attente de réponse")
    expect(row.get_by_test_id("unread")).to_have_count(0)

    # The advisor, in a browser of her own, answers from her messages page.
    advisor_context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                          timezone_id="Europe/Paris", **VIEWPORTS[viewport])
    advisor_context.set_default_timeout(20_000)
    advisor = advisor_context.new_page()
    login(advisor, ADVISOR)
    expect(advisor).to_have_url(re.compile(r"/conseiller/"))
    advisor.goto("/conseiller/messages/")
    waiting = advisor.get_by_test_id("advisor-thread-row").filter(has_text=subject)
    expect(waiting).to_contain_text("Fatima Lambert")
    waiting.get_by_role("link", name=subject).click()
    expect(advisor.get_by_test_id("message").first).to_contain_text(
        "la crèche d'Inès demande une attestation.")
    advisor.get_by_label("Votre réponse").fill(answer_text)
    advisor.get_by_role("button", name="Envoyer la réponse").click()
    expect(advisor.get_by_text("Réponse envoyée")).to_be_visible()
    expect(advisor.get_by_test_id("message")).to_have_count(2)
    advisor_context.close()

    # Fatima sees a new message, reads it, and the marker goes.
    page.reload()
    row = page.get_by_test_id("thread-row").filter(has_text=subject)
    expect(row.get_by_test_id("unread")).to_have_text("Nouveau message")
    row.get_by_role("link", name=subject).click()
    messages = page.get_by_test_id("message")
    expect(messages.nth(1)).to_contain_text(answer_text)
    expect(messages.nth(1)).to_contain_text("Camille R.")
    expect(page.get_by_role("heading", level=2, name=subject)).to_be_visible()
    page.get_by_role("link", name="Retour à Contact & aide").click()
    row = page.get_by_test_id("thread-row").filter(has_text=subject)
    expect(row).to_contain_text("Répondu")
    expect(row.get_by_test_id("unread")).to_have_count(0)

    # The email tells her there is a message, never what it says.
    mails = mails_when(page, lambda ms: any(
        FATIMA[0] in m["to"] and m["subject"] == "Vous avez un nouveau message" for m in ms))
    mail = next(m for m in mails if FATIMA[0] in m["to"]
                and m["subject"] == "Vous avez un nouveau message")
    assert "Contact & aide" in mail["body"]
    assert answer_text not in mail["body"] and "attestation" not in mail["body"].lower()


def test_fatima_books_a_call_back(page):
    login(page)
    signed_in(page)
    for booking in api(page, "GET", "/support/callbacks?limit=100")["items"]:
        if booking["can_cancel"]:
            api(page, "POST", f"/support/callbacks/{booking['id']}/cancel", expect_status=200)
    open_contact(page)
    slot = page.get_by_label("Créneau")
    expect(slot.locator("option")).not_to_have_count(1)
    chosen = slot.locator("option").nth(1).text_content()
    slot.select_option(index=1)
    page.get_by_label("Numéro de téléphone").fill("06 12 34 56 78")
    page.get_by_label("Motif de l'appel").fill("Une question sur le forfait optique.")
    page.get_by_role("button", name="Réserver ce rappel").click()
    expect(page.get_by_text("un conseiller vous appellera")).to_be_visible()
    booked = page.get_by_test_id("callback")
    expect(booked).to_contain_text("06 12 34 56 78")
    expect(booked).to_contain_text(chosen.split(", ", 1)[1])
    expect(page.get_by_label("Créneau")).to_be_hidden()
    booked.get_by_role("button", name="Annuler ce rappel").click()
    expect(page.get_by_text("Votre rappel est annulé")).to_be_visible()
    expect(page.get_by_label("Créneau")).to_be_visible()

    # The cancelled call-back stays in « Mes rappels », with what she gave for it.
    page.get_by_role("link", name="Voir tous mes rappels").click()
    expect(page.get_by_role("heading", level=1, name="Mes rappels")).to_be_visible()
    mine = page.get_by_test_id("my-callback").first
    expect(mine).to_contain_text(chosen.split(", ", 1)[1])
    expect(mine).to_contain_text("Annulé")
    expect(mine).to_contain_text("06 12 34 56 78")
    expect(mine).to_contain_text("Une question sur le forfait optique.")


def test_help_and_legal_pages_are_a_click_away_from_the_footer(page):
    page.goto("/")
    footer = page.get_by_role("navigation", name="Informations et aide")
    footer.get_by_role("link", name="Données personnelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos données personnelles")
    expect(page.get_by_text("dpo@clairval.example")).to_be_visible()
    page.get_by_role("navigation", name="Informations et aide").get_by_role(
        "link", name=re.compile("Accessibilité")).click()
    expect(page.get_by_text("partiellement conforme").first).to_be_visible()
    page.get_by_role("navigation", name="Informations et aide").get_by_role(
        "link", name="Aide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions fréquentes")
