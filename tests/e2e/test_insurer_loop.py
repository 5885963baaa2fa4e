"""The insurer's side, whole, on the local stack: an advisor accepts Fatima's reimbursement
request → the event leaves through the outbox → the management system's simulator pays it a
few seconds later with a file in the inbox → she sees the payment, its notice and the emails;
she reports a payment she does not recognise → an advisor sees it and the event leaves; a
Coverage ended by a file closes a member's access, and a new one opens it again."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import PAUL, login
from tests.e2e.helpers import ONE_VIEWPORT, api, create_request, mails_when, signed_in
from tests.e2e.test_requests_journeys import act, open_from_queue, status_of
from tests.notices import stack_table

FATIMA_EMAIL = "fatima.l@example.fr"


def exchanges(page) -> list[dict]:
    return page.request.get("/local/echanges.json").json()["items"]


def exchanges_when(page, found, timeout: float = 30.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        items = exchanges(page)
        if found(items) or time.monotonic() > deadline:
            return items
        page.wait_for_timeout(250)


def member_items(stack, member_id: str, prefix: str) -> list[dict]:
    return stack_table(stack["stack"]).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": f"MEMBER#{member_id}", ":p": prefix})["Items"]


def test_an_accepted_request_is_paid_by_the_management_system(page, advisor, stack):
    fatima = stack["stack"].demo["members"][FATIMA_EMAIL]["member_id"]
    # A new day for the payment digest (one email a day at most).
    for item in member_items(stack, fatima, "DIGEST#"):
        stack_table(stack["stack"]).delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
    login(page)
    signed_in(page)
    request = create_request(page)
    ref = request["reference"]

    open_from_queue(advisor, ref, "Demande de remboursement")
    act(advisor, "Prendre en charge")
    act(advisor, "Accepter")
    expect(status_of(advisor)).to_contain_text("Transmise pour paiement")

    # The event reaches the management system, which pays and sends the payment back.
    def paid(items):
        return any(e["direction"] == "from_gestion" and ref in e["summary"]
                   and e.get("report") for e in items)
    items = exchanges_when(page, paid)
    sent = [e for e in items if e["direction"] == "to_gestion"
            and e["kind"] == "ReimbursementPaymentRequested" and ref in e["summary"]]
    assert len(sent) == 1, items[:5]
    back = next(e for e in items if e["direction"] == "from_gestion" and ref in e["summary"])
    assert back["report"]["applied"] == 1 and not back["report"]["rejected"], back

    # Her emails: the request was paid, and the day's notice of new payments, no amount.
    def digest_of(ms):
        return next((m for m in ms if FATIMA_EMAIL in m["to"]
                     and "nouveaux remboursements" in m["subject"]), None)
    mails = mails_when(page, lambda ms: digest_of(ms) is not None and any(
        ref in m["subject"] and "versé" in m["subject"] for m in ms), timeout=40)
    assert any(ref in m["subject"] and "versé" in m["subject"] for m in mails), \
        [m["subject"] for m in mails[:8]]
    digest = digest_of(mails)
    assert digest, [m["subject"] for m in mails[:8]]
    assert "€" not in digest["body"] and "/espace/remboursements/" in digest["body"]

    # Fatima: the request is closed, the payment is in « Mes remboursements », new until seen.
    page.goto(f"/espace/demandes/detail/?id={request['id']}")
    expect(status_of(page)).to_contain_text("Acceptée")
    link = page.get_by_test_id("request-claim-link").get_attribute("href")
    claim_id = link.split("id=")[1]
    claim = api(page, "GET", f"/claims/{claim_id}", expect_status=200)
    assert claim["status"] == "paid" and claim["payment_date"] == clock.today().isoformat()
    page.goto("/espace/remboursements/")
    row = page.locator(f'[data-testid="claim-row"][data-id="{claim_id}"]')
    expect(row).to_contain_text("Payé")
    expect(row.get_by_test_id("claim-new")).to_have_text("Nouveau")
    row.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/espace/remboursements/decompte/\?id="))
    for _ in range(60):  # the décompte marks it seen once shown
        if not member_items(stack, fatima, f"NOTICE#{claim_id}"):
            break
        page.wait_for_timeout(250)
    page.goto("/espace/remboursements/")
    expect(row).to_contain_text("Payé")
    expect(row.get_by_test_id("claim-new")).to_have_count(0)


@ONE_VIEWPORT
def test_a_payment_she_does_not_recognise_reaches_advisors_and_the_management_system(
        page, advisor):
    login(page)
    claim = next(c for c in api(page, "GET", "/claims?limit=50", expect_status=200)["items"]
                 if c["status"] == "paid" and c["mutual_cents"] > 0
                 and api(page, "GET", f"/claims/{c['id']}", expect_status=200)["dispute"] is None)
    page.goto(f"/espace/remboursements/decompte/?id={claim['id']}")
    page.get_by_role("button", name="Je ne reconnais pas ce paiement").click()
    page.get_by_role("button", name="Envoyer le signalement").click()
    done = page.get_by_test_id("claim-disputed")
    expect(done).to_contain_text(re.compile(r"demande n° PN-\d{4}-"))
    reference = re.search(r"PN-\d{4}-[0-9A-Z]+", done.inner_text()).group(0)

    # The management system hears of it...
    items = exchanges_when(page, lambda es: any(
        e["kind"] == "PaymentDisputed" and claim["id"] in json.dumps(e) for e in es))
    assert any(e["kind"] == "PaymentDisputed" and e["direction"] == "to_gestion"
               and claim["id"] in json.dumps(e) for e in items), items[:5]
    # ... and an advisor finds her report in the queue, with the payment concerned.
    advisor.goto("/conseiller/?type=payment_dispute")
    row = advisor.get_by_test_id("queue-row").filter(has_text=reference)
    expect(row).to_be_visible()
    row.get_by_role("link").click()
    expect(advisor.get_by_test_id("request-reference")).to_have_text(reference)
    expect(advisor.locator("main")).to_contain_text(claim["id"])


def _coverage_of(stack, member_id: str) -> dict:
    """The subscriber's Coverage as the management system last sent it (the seed's file)."""
    s3 = stack["stack"].client("s3")
    bucket = stack["stack"].resources.names["InboxBucket"]
    body = s3.get_object(Bucket=bucket, Key=f"inbox/seed-{member_id}.ndjson")["Body"].read()
    return next(r for r in map(json.loads, body.decode().splitlines())
                if r["resourceType"] == "Coverage" and r["id"].endswith(f"{member_id}-B01"))


def _send(stack, page, resource: dict) -> None:
    """The management system drops a one-line file in the inbox; wait for its report."""
    s3 = stack["stack"].client("s3")
    bucket = stack["stack"].resources.names["InboxBucket"]
    name = f"test-coverage-{uuid.uuid4().hex[:8]}"
    s3.put_object(Bucket=bucket, Key=f"inbox/{name}.ndjson",
                  Body=(json.dumps(resource) + "\n").encode())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            report = json.loads(s3.get_object(
                Bucket=bucket, Key=f"reports/{name}.report.json")["Body"].read())
            break
        except s3.exceptions.NoSuchKey:
            page.wait_for_timeout(250)
    else:
        raise AssertionError("no report for the Coverage file")
    assert report["applied"] == 1, report


def test_a_coverage_ended_by_a_file_closes_her_access(page, stack, viewport):
    paul = stack["stack"].demo["members"][PAUL[0]]["member_id"]
    coverage = _coverage_of(stack, paul)
    # Newer than any version sent before, whichever test of this stack sent it.
    version = max(int(coverage["meta"]["versionId"]), int(clock.now().timestamp() * 1000))
    ended = clock.today() - timedelta(days=1)
    login(page, PAUL)
    signed_in(page)
    try:
        _send(stack, page, {**coverage, "status": "cancelled",
                            "meta": {**coverage["meta"], "versionId": str(version + 1)},
                            "period": {**coverage["period"], "end": ended.isoformat()}})
        page.goto("/espace/remboursements/")
        expect(page.locator("main")).to_contain_text("a pris fin le")
        refused = api(page, "GET", "/claims?limit=5", expect_status=403)
        assert refused["code"] == "contract_ended", refused
        # Her documents stay readable.
        page.goto("/espace/documents/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert api(page, "GET", "/documents", expect_status=200) is not None
    finally:
        # The management system reinstates the contract (a newer version): open again.
        _send(stack, page, {**coverage,
                            "meta": {**coverage["meta"], "versionId": str(version + 2)}})
    page.goto("/espace/remboursements/")
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
