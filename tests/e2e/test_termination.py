"""« Résilier mon contrat » (issue 21), on a computer and a phone: Paul reaches it in one click
from « Mon contrat », chooses his reason, reads the summary, goes back and forth, confirms,
and finds the acknowledgement in « Mes documents », the email in his mailbox and « Résiliation
demandée le … — prend effet le … » on « Mon contrat »; Fatima, whose contract is her
employer's, gets the explanation and what she can do, never the form.

A termination is a one-shot: each test starts with Paul's contract free of any (the
`no_termination` fixture removes what an earlier test left, before and after)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shared import clock
from shared.dates import add_months, fr_date_long
from tests.e2e.conftest import PAUL, login
from tests.e2e.helpers import french_date, mails_when

PAUL_ID = "2023004412"


def clear_terminations(stack) -> None:
    """Paul's contract free of any termination asked (the marker; his requests stay)."""
    from tests.notices import stack_table

    table = stack_table(stack["stack"])
    found = table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
                        ExpressionAttributeValues={":pk": f"MEMBER#{PAUL_ID}",
                                                   ":p": "FILE#TERMINATION#"})["Items"]
    for item in found:
        table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})


@pytest.fixture
def no_termination(stack):
    clear_terminations(stack)
    yield
    clear_terminations(stack)


def open_termination(page, who=PAUL):
    login(page, who)
    expect(page).to_have_url(re.compile(r"/espace/remboursements/"))
    page.goto("/espace/contrat/")
    entry = page.get_by_test_id("termination-entry")
    expect(entry).to_be_visible(timeout=30_000)
    expect(entry).to_have_text("Résilier mon contrat")
    entry.click()  # one click from « Mon contrat »
    expect(page).to_have_url(re.compile(r"/espace/contrat/resiliation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Résilier mon contrat")


def test_paul_terminates_in_three_steps_and_finds_the_acknowledgement(page, viewport,
                                                                     no_termination):
    open_termination(page)
    intro = page.get_by_test_id("termination-intro")
    expect(intro).to_contain_text("Ce que vous pouvez résilier, et quand")
    expect(intro).to_contain_text("2023-182")
    effective = french_date(add_months(clock.today(), 1))

    # Step 1: a reason needing a proof, sent without one, is stopped in the page.
    page.get_by_label("Changement de situation").check()
    expect(page.get_by_label("Date du changement de situation")).to_be_visible()
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    errors = page.locator("#termination-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Indiquez la date du changement de situation")
    expect(errors).to_contain_text("Joignez le justificatif")
    # The first year is behind him: the infra-annual termination, a month from today.
    reason = page.get_by_label("Résiliation après la première année d'adhésion")
    reason.check()
    expect(page.get_by_label("Date du changement de situation")).to_be_hidden()
    expect(page.locator("#term-reason-infra_annual-hint")).to_contain_text(
        f"prendrait effet le {effective}")
    expect(page.locator("#term-reason-infra_annual-hint")).to_contain_text("L221-10-2")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()

    # Step 2: the summary, and going back changes nothing he chose.
    summary = page.get_by_test_id("termination-summary")
    expect(summary).to_contain_text("Étape 2 sur 3")
    expect(summary).to_contain_text("Résiliation après la première année d'adhésion")
    expect(summary).to_contain_text(effective)
    page.get_by_role("button", name="Modifier ma demande").click()
    expect(summary).to_be_hidden()
    expect(reason).to_be_checked()
    page.get_by_label("Message pour votre conseiller (facultatif)").fill(
        "Je change de mutuelle.")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(summary).to_contain_text("Je change de mutuelle.")

    # Step 3: confirmed, acknowledged.
    confirm = page.get_by_role("button", name="Confirmer ma demande de résiliation")
    confirm.dblclick()  # a double click files one request
    done = page.get_by_test_id("termination-done")
    expect(done).to_contain_text("Étape 3 sur 3")
    dates = done.locator("dd")
    expect(dates.nth(0)).to_have_text(french_date(clock.today()))  # received
    expect(dates.nth(1)).to_have_text(effective)  # takes effect
    reference = page.get_by_test_id("request-reference").inner_text()
    assert re.fullmatch(r"RE-\d{4}-[A-Z0-9]{8}", reference), reference

    mails = mails_when(page, lambda ms: any(reference in m["subject"] for m in ms))
    mail = next(m for m in mails if reference in m["subject"])
    assert f"prend effet le {fr_date_long(add_months(clock.today(), 1))}" in mail["body"]
    assert f"reçue le {fr_date_long(clock.today())}" in mail["body"]

    page.get_by_test_id("termination-letter").click()
    expect(page).to_have_url(re.compile(r"/espace/documents/"))
    letters = page.get_by_text("Accusé de réception de votre demande de résiliation")
    expect(letters.first).to_be_visible()

    # Nothing else changes until then; « Mon contrat » says it, once.
    page.goto("/espace/contrat/")
    notice = page.get_by_test_id("termination-notice")
    expect(notice).to_contain_text(f"prend effet le {effective}")
    expect(notice).to_contain_text(reference)
    expect(page.get_by_test_id("beneficiary").first).to_be_visible()
    expect(page.get_by_test_id("termination-entry")).to_have_count(0)
    page.goto("/espace/contrat/resiliation/")
    expect(page.get_by_test_id("termination-pending")).to_contain_text(
        f"Résiliation demandée le {french_date(clock.today())}")
    expect(page.locator("#termination-form")).to_be_hidden()
    page.goto("/espace/demandes/")
    expect(page.get_by_test_id("request-row").filter(has_text=reference)).to_have_count(1)


def test_a_collective_contract_is_explained_with_what_she_can_do(page, viewport):
    open_termination(page, ("fatima.l@example.fr", "Demo-Adherent-2026!"))
    explained = page.get_by_test_id("termination-collective")
    expect(explained).to_contain_text("Transports Lumière SA")
    expect(explained).to_contain_text("dispense d'affiliation")
    cases = page.get_by_test_id("dispense-cases")
    expect(cases).to_contain_text("D911-2")
    expect(cases).to_contain_text("R242-1-6")
    expect(page.get_by_role("link", name="déclarer une portabilité")).to_be_visible()
    expect(page.locator("#termination-form")).to_be_hidden()
    expect(page.get_by_role("button", name="Confirmer ma demande de résiliation")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= \
        page.viewport_size["width"]
