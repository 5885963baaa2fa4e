"""What members get from the insurer's side, as a member sees it: a new payment marked
« Nouveau » until she opens it, the day's email listing it without an amount, « Je ne
reconnais pas ce paiement » becoming a request in « Mes demandes », the NOEMIE link on « Mon
contrat ». Until the ingest writes payment notices, the test writes one as the contract says."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import ONE_VIEWPORT, api
from tests.notices import notice_item, stack_table


def table(stack):
    return stack_table(stack["stack"])


def fatima(stack) -> str:
    return stack["stack"].demo["members"]["fatima.l@example.fr"]["member_id"]


def items(stack, prefix: str) -> list[dict]:
    return table(stack).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": f"MEMBER#{fatima(stack)}", ":p": prefix})["Items"]


def paid(page) -> list[dict]:
    return [c for c in api(page, "GET", "/claims?limit=50", expect_status=200)["items"]
            if c["status"] == "paid" and c["mutual_cents"] > 0]


def test_a_new_payment_is_new_until_opened_and_the_days_email_lists_it(page, stack):
    login(page)
    claim = paid(page)[3]
    me = api(page, "GET", "/members/me", expect_status=200)
    first_name = next(b["first_name"] for b in me["beneficiaries"]
                      if b["id"] == claim["beneficiary_id"])
    # A new day for the digest (one email a day at most), then a payment comes in.
    for item in items(stack, "DIGEST#") + items(stack, "NOTICE#"):
        table(stack).delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
    before = {i["sk"] for i in items(stack, "OUTBOX#")}
    table(stack).put_item(Item=notice_item(fatima(stack), claim, first_name))

    page.goto("/espace/remboursements/")
    row = page.locator(f'[data-testid="claim-row"][data-id="{claim["id"]}"]')
    expect(row.get_by_test_id("claim-new")).to_have_text("Nouveau")
    expect(page.get_by_role("button", name="Marquer comme vus")).to_be_visible()
    assert page.get_by_test_id("claim-new").count() == 1

    # The evening's email (every few seconds on the local stack): dates and first names.
    email = None
    for _ in range(60):
        email = next((i["event"]["detail"] for i in items(stack, "OUTBOX#")
                      if i["sk"] not in before and i["channel"] == "email"
                      and i["event"]["detail"]["reference"].startswith("notices-")), None)
        if email:
            break
        time.sleep(0.5)
    assert email, "no digest email"
    assert email["to"] == "fatima.l@example.fr"
    assert f"pour {first_name}" in email["body"] and "/espace/remboursements/" in email["body"]
    assert "€" not in email["body"] and claim["act_label"] not in email["body"]

    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2, name=claim["act_label"])).to_be_visible()
    for _ in range(40):  # the page marks it seen once shown
        if not items(stack, f"NOTICE#{claim['id']}"):
            break
        time.sleep(0.25)
    page.goto("/espace/remboursements/")
    expect(page.locator(f'[data-testid="claim-row"][data-id="{claim["id"]}"]')).to_be_visible()
    expect(page.get_by_test_id("claim-new")).to_have_count(0)
    expect(page.get_by_role("button", name="Marquer comme vus")).to_be_hidden()


@ONE_VIEWPORT
def test_marking_every_new_payment_as_seen_at_once(page, stack):
    login(page)
    claims = paid(page)[:2]
    # Only these two are new (other tests' requests are paid by the simulator meanwhile).
    for item in items(stack, "NOTICE#"):
        table(stack).delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
    for claim in claims:
        table(stack).put_item(Item=notice_item(fatima(stack), claim, "Fatima"))
    page.goto("/espace/remboursements/")
    rows = [page.locator(f'[data-testid="claim-row"][data-id="{c["id"]}"]') for c in claims]
    for row in rows:
        expect(row.get_by_test_id("claim-new")).to_have_text("Nouveau")
    page.get_by_role("button", name="Marquer comme vus").click()
    expect(page.get_by_role("status").filter(has_text="marqués comme vus")).to_be_visible()
    for row in rows:
        expect(row.get_by_test_id("claim-new")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    for row in rows:
        expect(row.get_by_test_id("claim-new")).to_have_count(0)
    assert not {c["id"] for c in claims} & {i["sk"].removeprefix("NOTICE#")
                                            for i in items(stack, "NOTICE#")}


def test_she_reports_a_payment_she_does_not_recognise(page, viewport):
    login(page)
    # A payment not reported yet (each viewport reports its own).
    claim = next(c for c in paid(page)[5:]
                 if api(page, "GET", f"/claims/{c['id']}", expect_status=200)["dispute"] is None)
    page.goto(f"/espace/remboursements/decompte/?id={claim['id']}")
    page.get_by_role("button", name="Je ne reconnais pas ce paiement").click()
    page.get_by_label("Ce qui vous fait douter (facultatif)").fill(
        "Je n'ai pas eu ce soin ce jour-là.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    done = page.get_by_test_id("claim-disputed")
    expect(done).to_contain_text(re.compile(r"demande n° PN-\d{4}-"))
    reference = re.search(r"PN-\d{4}-[0-9A-Z]+", done.inner_text()).group(0)
    # Reopened, the décompte says it was reported (one report per payment).
    page.reload()
    expect(page.get_by_test_id("claim-disputed")).to_contain_text(reference)
    expect(page.get_by_role("button", name="Je ne reconnais pas ce paiement")).to_have_count(0)
    page.get_by_role("link", name="Suivre ma demande").click()
    expect(page.get_by_test_id("request-reference")).to_have_text(reference)
    page.goto("/espace/demandes/")
    expect(page.locator(f'[data-testid="request-row"][data-reference="{reference}"]')
           ).to_contain_text(re.compile(r"Paiement du .* non reconnu"))


def test_mon_contrat_shows_each_beneficiarys_noemie_link(page):
    login(page)
    page.goto("/espace/contrat/")
    cards = page.get_by_test_id("beneficiary")
    fatima_card = cards.filter(has_text="Fatima Lambert")
    ines_card = cards.filter(has_text="Inès Lambert")
    expect(fatima_card.get_by_test_id("noemie")).to_contain_text("Liaison NOEMIE active depuis le")
    expect(ines_card.get_by_test_id("noemie")).to_contain_text("Liaison NOEMIE non active")
    ines_card.get_by_text("Que faire pour les remboursements d'Inès Lambert").click()
    expect(ines_card.get_by_test_id("noemie")).to_contain_text("attestation de droits")
    expect(ines_card.get_by_test_id("noemie")).to_contain_text(
        "décompte de la Sécurité sociale")
