"""« Vérifier ma situation »: Fatima pays her late instalment by card on the sandbox's hosted
page, in Chromium on a desktop and a phone: accepted (the instalment shows paid, the receipt
is filed as a document with its PDF, an email tells her), declined, a 3-D Secure challenge
confirmed or refused, abandoned (nothing changes). The sandbox's own pages pass axe too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import axe_page, check  # noqa: F401 - axe_page is a fixture

SITUATION = "/espace/contrat/situation/"
ACCEPTED, DECLINED, CHALLENGE = "4242424242424242", "4000000000000002", "4000000000003220"
EXPIRY = f"12/{(clock.today().year + 3) % 100:02d}"
_ORIGINAL: dict[str, list[dict]] = {}


def table(stack):
    running = stack["stack"]
    import boto3

    return boto3.resource("dynamodb", endpoint_url=running.moto_url, region_name="eu-west-3",
                          aws_access_key_id="local", aws_secret_access_key="local").Table(
        running.resources.names["Table"])


def fatima(stack) -> str:
    return stack["stack"].demo["members"]["fatima.l@example.fr"]["member_id"]


def items(stack, prefix: str) -> list[dict]:
    found = table(stack).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": f"MEMBER#{fatima(stack)}", ":p": prefix})
    return found["Items"]


def restore(stack) -> None:
    for item in _ORIGINAL["contributions"]:
        table(stack).put_item(Item=item)


@pytest.fixture
def late(stack):
    """Fatima's schedule as seeded, with one late instalment (put back afterwards, so other
    journeys see the demo as it is)."""
    if "contributions" not in _ORIGINAL:
        _ORIGINAL["contributions"] = items(stack, "CONTRIB#")
    restore(stack)
    today = clock.today().isoformat()
    late = [i["period"] for i in _ORIGINAL["contributions"]
            if "paid_on" not in i and i["due_date"] < today]
    if not late:  # on the 5th the seeded one is due today, not late yet: make last month's
        last = max((i for i in _ORIGINAL["contributions"] if i["due_date"] < today),
                   key=lambda i: i["due_date"])
        table(stack).update_item(Key={"pk": last["pk"], "sk": last["sk"]},
                                 UpdateExpression="REMOVE paid_on")
        late = [last["period"]]
    yield late[-1]
    restore(stack)


def open_situation(page, period: str):
    login(page)
    expect(page).to_have_url(re.compile(r"/espace/remboursements/"))
    page.goto(SITUATION)
    # The first call may start the contract function's workers (a cold start): wait for it.
    expect(page.locator("#schedule")).to_have_attribute("aria-busy", "false", timeout=20_000)
    row = page.locator(f'[data-testid="instalment-row"][data-period="{period}"]')
    expect(row).to_have_attribute("data-status", "late")
    expect(row.get_by_text("En retard")).to_be_visible()
    return row


def to_checkout(page) -> None:
    page.get_by_test_id("pay-late").click()
    expect(page).to_have_url(re.compile(r"/sandbox/paiement/cs_test_"))
    expect(page.get_by_text("Environnement de test")).to_be_visible()


def pay_with(page, card: str) -> None:
    to_checkout(page)
    page.get_by_label("Numéro de carte").fill(card)
    page.get_by_label("Date d'expiration (MM/AA)").fill(EXPIRY)
    page.get_by_label("Cryptogramme visuel").fill("123")
    page.get_by_role("button", name=re.compile("^Payer")).click()


def back_on_situation(page) -> str:
    expect(page).to_have_url(re.compile(r"/espace/contrat/situation/\?paiement=P\d{8}T"))
    return page.url.rsplit("=", 1)[1]


def assert_nothing_changed(page, stack, row, payment_id: str, said: str) -> None:
    result = page.get_by_test_id("payment-result")
    expect(result).to_contain_text(said)
    expect(result).to_contain_text("aucune somme n'a été prélevée")
    expect(row).to_have_attribute("data-status", "late")
    expect(page.get_by_test_id("pay-late")).to_be_visible()  # she can try again
    assert not [d for d in items(stack, "DOC#") if d.get("source") == payment_id]


def test_paying_a_late_instalment_by_card(page, stack, late, tmp_path):
    row = open_situation(page, late)
    amount = row.locator("td.ea-num").inner_text()
    # The schedule and the total fit the screen: nothing to scroll sideways on a phone.
    expect(page.get_by_test_id("pay-late")).to_contain_text(amount)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pay_with(page, ACCEPTED)
    payment_id = back_on_situation(page)
    result = page.get_by_test_id("payment-result")
    expect(result).to_contain_text("Paiement accepté")
    expect(row).to_have_attribute("data-status", "paid")
    expect(row.get_by_text("Payée")).to_be_visible()
    expect(page.locator("#late-section")).to_be_hidden()

    # Her receipt, until « Mes documents » shows it: the document and its PDF.
    receipt = [d for d in items(stack, "DOC#") if d.get("source") == payment_id]
    assert len(receipt) == 1 and receipt[0]["kind"] == "receipt"
    link = result.get_by_test_id("receipt-link")
    expect(link).to_be_visible()
    download = page.request.get(link.get_attribute("href"))
    assert download.ok and download.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "recu.pdf"
    pdf.write_bytes(download.body())
    stored = stack["stack"].client("s3").get_object(
        Bucket=stack["stack"].resources.names["DocumentsBucket"],
        Key=receipt[0]["s3_key"])["Body"].read()
    assert stored == download.body() and stored.startswith(b"%PDF")
    if shutil.which("pdftoppm"):  # a page that renders, as a person would open it
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                        str(tmp_path / "recu")], check=True, timeout=60)
        assert (tmp_path / "recu.png").stat().st_size > 5_000

    # The email: the amount and the instalment, nothing about the card.
    with urllib.request.urlopen(f"{stack['base_url']}/local/courriels.json") as answer:
        mails = [m for m in json.loads(answer.read())["items"]
                 if payment_id in m["body"]]
    assert len(mails) == 1 and mails[0]["to"] == ["fatima.l@example.fr"]
    text = mails[0]["body"].replace("\u00a0", " ").replace("\u202f", " ")
    assert amount.replace("\u00a0", " ").replace("\u202f", " ") in text
    assert "4242" not in text
    # Its links lead to the same site as the request emails': the one SITE_URL.
    links = re.findall(r"https?://\S+", text)
    assert links and all(link.startswith(stack["base_url"] + "/") for link in links), links


# The outcomes below read the same on a phone: desktop only (the success journey and the
# pages' accessibility run on both).
@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_declined_card_changes_nothing(page, stack, late):
    row = open_situation(page, late)
    pay_with(page, DECLINED)
    expect(page.get_by_role("heading", name="Paiement refusé", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile("Retourner sur le site")).click()
    payment_id = back_on_situation(page)
    assert_nothing_changed(page, stack, row, payment_id, "Le paiement a été refusé")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_3d_secure_challenge_confirmed_pays(page, stack, late):
    row = open_situation(page, late)
    pay_with(page, CHALLENGE)
    expect(page.get_by_role("heading", name="Confirmez ce paiement")).to_be_visible()
    page.get_by_role("button", name="Confirmer le paiement").click()
    payment_id = back_on_situation(page)
    expect(page.get_by_test_id("payment-result")).to_contain_text("Paiement accepté")
    expect(row).to_have_attribute("data-status", "paid")
    assert len([d for d in items(stack, "DOC#") if d.get("source") == payment_id]) == 1


@pytest.mark.parametrize("viewport", ["desktop"])
def test_abandoning_the_payment_changes_nothing(page, stack, late):
    row = open_situation(page, late)
    to_checkout(page)
    page.get_by_role("button", name=re.compile("^Annuler et retourner")).click()
    payment_id = back_on_situation(page)
    assert_nothing_changed(page, stack, row, payment_id, "Vous avez abandonné le paiement")


def test_a_refused_3d_secure_challenge_on_accessible_pages(axe_page, stack, late):  # noqa: F811
    """The sandbox's pages and the situation page in each state she meets, through axe: the
    checkout (empty, with errors), the 3-D Secure challenge refused, and back on the site the
    refusal said, nothing paid, and the form's own error."""
    row = open_situation(axe_page, late)
    check(axe_page, SITUATION, " (échéance en retard)")
    checkbox = axe_page.locator(f"#late-{late}")
    checkbox.uncheck()
    axe_page.get_by_test_id("pay-late").click()
    expect(axe_page.locator("#pay-errors")).to_contain_text("Cochez au moins une échéance")
    check(axe_page, SITUATION, " (aucune échéance cochée)")
    checkbox.check()

    to_checkout(axe_page)
    check(axe_page, "sandbox", " (page de paiement)")
    axe_page.get_by_role("button", name=re.compile("^Payer")).click()
    expect(axe_page.get_by_role("alert")).to_contain_text("Saisissez le numéro de la carte")
    check(axe_page, "sandbox", " (erreurs de saisie)")
    axe_page.get_by_label("Numéro de carte").fill(CHALLENGE)
    axe_page.get_by_label("Date d'expiration (MM/AA)").fill(EXPIRY)
    axe_page.get_by_label("Cryptogramme visuel").fill("123")
    axe_page.get_by_role("button", name=re.compile("^Payer")).click()
    expect(axe_page.get_by_role("heading", name="Confirmez ce paiement")).to_be_visible()
    check(axe_page, "sandbox", " (3-D Secure)")
    axe_page.get_by_role("button", name="Refuser").click()
    expect(axe_page.get_by_role("heading", name="Paiement refusé", level=1)).to_be_visible()
    check(axe_page, "sandbox", " (paiement refusé)")

    axe_page.get_by_role("link", name=re.compile("Retourner sur le site")).click()
    payment_id = back_on_situation(axe_page)
    assert_nothing_changed(axe_page, stack, row, payment_id,
                           "La vérification demandée par votre banque n'a pas abouti")
    check(axe_page, SITUATION, " (paiement refusé)")
