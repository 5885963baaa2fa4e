"""Trop-perçus in Chromium, desktop and phone: the management system sends an overpayment;
Fatima sees the block on « Mes remboursements », opens it, pays it back with the sandbox's
test card and sees it « Remboursé » with its receipt; another one she contests (the message is
required), and it can no longer be paid. Each test sends its own overpayment, so the journeys
do not depend on each other nor change the demo's."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_page, check  # noqa: F401 - axe_page is a fixture
from tests.helpers import GESTION
from tests.overpay_samples import overpayment
from tests.routes import Http

ACCEPTED = "4242424242424242"
EXPIRY = f"12/{(clock.today().year + 3) % 100:02d}"
DETAIL = "/espace/remboursements/trop-percu/"


def fatima(stack) -> str:
    return stack["stack"].demo["members"]["fatima.l@example.fr"]["member_id"]


def items(stack, prefix: str) -> list[dict]:
    import boto3

    running = stack["stack"]
    table = boto3.resource("dynamodb", endpoint_url=running.moto_url, region_name="eu-west-3",
                           aws_access_key_id="local", aws_secret_access_key="local").Table(
        running.resources.names["Table"])
    return table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
                       ExpressionAttributeValues={":pk": f"MEMBER#{fatima(stack)}",
                                                  ":p": prefix})["Items"]


@pytest.fixture
def sent(stack):
    """A new trop-perçu of Fatima's (47,60 €), sent by the management system on its route."""
    op_id = f"TP-E2E-{uuid.uuid4().hex[:8].upper()}"
    status, answer = Http(stack["stack"]).call(
        "POST", "/system/fhir", user=GESTION,
        body=overpayment(fatima(stack), op_id=op_id, euros="47.60",
                         reason="Votre dentiste a corrigé sa facture après notre versement."))
    assert status == 200, answer
    return op_id


def open_from_the_block(page, op_id: str):
    login(page)
    expect(page).to_have_url(re.compile(r"/espace/remboursements/"))
    block = page.locator("#overpayments")
    expect(block.get_by_role("heading", name="Un remboursement vous a été versé en trop")) \
        .to_be_visible()
    mine = block.locator(f'[data-testid="overpayment"][data-id="{op_id}"]')
    expect(mine).to_contain_text("47,60")
    expect(mine).to_contain_text("à rembourser")
    mine.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"{DETAIL}\?id={op_id}"))
    expect(page.get_by_test_id("overpayment-reason")).to_contain_text("dentiste a corrigé")
    expect(page.locator("#overpayment")).to_contain_text("Karim Lambert")
    expect(page.locator("#overpayment")).to_contain_text("31 janvier 2027")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_she_pays_an_overpayment_back_by_card(page, stack, sent, tmp_path):
    open_from_the_block(page, sent)
    pay = page.get_by_role("button", name=re.compile(r"Rembourser 47,60\s€ par carte"))
    pay.click()
    expect(page).to_have_url(re.compile(r"/sandbox/paiement/cs_test_"))
    page.get_by_label("Numéro de carte").fill(ACCEPTED)
    page.get_by_label("Date d'expiration (MM/AA)").fill(EXPIRY)
    page.get_by_label("Cryptogramme visuel").fill("123")
    page.get_by_role("button", name=re.compile("^Payer")).click()

    expect(page).to_have_url(re.compile(rf"{DETAIL}\?id={sent}&paiement=P\d{{8}}T"))
    payment_id = page.url.rsplit("=", 1)[1]
    result = page.locator("#overpayment-payment")
    expect(result).to_contain_text("Paiement accepté")
    expect(result).to_contain_text("est remboursé")
    expect(page.locator(".ea-detail__status")).to_contain_text("Remboursé")
    expect(page.get_by_test_id("overpayment-next")).to_contain_text(
        "Votre reçu est dans « Mes documents »")
    expect(page.locator("section[aria-labelledby='overpayment-why']")).not_to_contain_text(
        "contestez-la")
    expect(pay).to_be_hidden()

    receipt = [d for d in items(stack, "DOC#") if d.get("source") == payment_id]
    assert len(receipt) == 1 and receipt[0]["kind"] == "receipt"
    link = result.get_by_test_id("receipt-link")
    download = page.request.get(link.get_attribute("href"))
    assert download.ok and download.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "recu.pdf"
    pdf.write_bytes(download.body())
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                        str(tmp_path / "recu")], check=True, timeout=60)
        assert (tmp_path / "recu.png").stat().st_size > 5_000
    # Back on « Mes remboursements »: nothing owed any more for this one.
    page.goto("/espace/remboursements/")
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    expect(page.locator(f'[data-testid="overpayment"][data-id="{sent}"]')).to_have_count(0)


def test_she_contests_an_overpayment(page, stack, sent):
    open_from_the_block(page, sent)
    page.get_by_role("button", name="Contester").click()
    send = page.get_by_role("button", name="Envoyer ma contestation")
    send.click()
    expect(page.locator("#contest-summary")).to_contain_text("pourquoi vous contestez")
    assert not [r for r in items(stack, "REQ#") if r.get("payload", {}).get(
        "overpayment_id") == sent]
    page.get_by_label("Pourquoi contestez-vous ce trop-perçu ? (obligatoire)").fill(
        "La Sécurité sociale m'a confirmé sa part : je n'ai rien reçu en trop.")
    send.click()
    filed = page.get_by_test_id("overpayment-filed")
    expect(filed).to_contain_text("Votre contestation est envoyée")
    expect(filed).to_contain_text("TC-")
    expect(page.locator(".ea-detail__status")).to_contain_text("Contesté")
    expect(page.get_by_test_id("overpayment-next")).to_contain_text("un conseiller l'examine")
    expect(page.get_by_role("button", name=re.compile("par carte"))).to_be_hidden()
    (request,) = [r for r in items(stack, "REQ#")
                  if r.get("payload", {}).get("overpayment_id") == sent]
    assert request["kind"] == "overpayment_contest" and request["status"] == "sent"


def test_the_overpayment_page_with_its_forms_open_is_accessible(axe_page, stack, sent):  # noqa: F811
    login(axe_page)
    axe_page.goto(f"{DETAIL}?id={sent}")
    expect(axe_page.get_by_test_id("overpayment-reason")).to_be_visible()
    axe_page.get_by_role("button", name="Demander un échéancier").click()
    expect(axe_page.locator("#instalments-estimate")).to_contain_text("par mois")
    axe_page.get_by_role("button", name="Contester").click()
    axe_page.get_by_role("button", name="Envoyer ma contestation").click()
    expect(axe_page.locator("#contest-summary")).to_contain_text("pourquoi vous contestez")
    check(axe_page, DETAIL, " (échéancier et contestation ouverts, erreur)")
    axe_page.get_by_label("Nombre de mensualités").select_option("6")
    axe_page.get_by_role("button", name="Envoyer ma demande d'échéancier").click()
    expect(axe_page.get_by_test_id("overpayment-filed")).to_contain_text("6 mois")
    expect(axe_page.locator(".ea-detail__status")).to_contain_text("Échéancier demandé")
    check(axe_page, DETAIL, " (échéancier demandé)")
