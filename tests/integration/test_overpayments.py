"""Trop-perçus (issue 21), in-process under moto: the management system's Invoice of type
overpayment ingested (idempotent, version-ordered, cancelled, balanced), read in « Mes
remboursements », paid back by card exactly once through the sandbox provider's signed
notification (receipt, event, audit, email), instalments asked, contested, and every refusal
changing nothing."""

from __future__ import annotations

import io
import uuid

import boto3
import pytest
from pypdf import PdfReader

from shared import clock
from tests.fhir_samples import line
from tests.helpers import GESTION, idempotency, plain
from tests.overpay_samples import overpayment
from tests.payments import event, signed, signing_key
from tests.routes import ADVISOR, OTHER, OWNER

NOTIFY = "/public/payments/notifications"


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def member(api, user=OWNER) -> str:
    return api.demo["members"][user]["member_id"]


def items_of(api, prefix: str, user=OWNER) -> list[dict]:
    found = table(api).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues={":pk": f"MEMBER#{member(api, user)}", ":c": prefix})
    return found["Items"]


def send(api, resource: dict):
    return api.post("/system/fhir", line(resource).decode(), user=GESTION)


def new_overpayment(api, **over) -> str:
    op_id = over.pop("op_id", f"TP-{uuid.uuid4().hex[:10].upper()}")
    answer = send(api, overpayment(member(api), op_id=op_id, **over))
    assert answer.status == 200, answer.body
    return op_id


def shown(api, op_id: str, user=OWNER) -> dict | None:
    answer = api.get("/claims/overpayments", user=user)
    assert answer.status == 200
    return next((i for i in answer.body["items"] if i["id"] == op_id), None)


def pay(api, op_id: str, amount: int = 2340, *, key: str | None = None, user=OWNER):
    return api.post("/contract/payments", {"overpayment_id": op_id, "amount_cents": amount},
                    user=user, headers=idempotency(key))


def notify(api, body: dict):
    return api.post(NOTIFY, body, headers=signed(signing_key(api), body))


def snapshot(api) -> list:
    return sorted((i["sk"], sorted(i.items(), key=str).__repr__()) for prefix in (
        "OVERPAY#", "REQ#", "DOC#", "OUTBOX#", "IDEM#") for i in items_of(api, prefix))


# ----------------------------------------------------------------------------- inbound
def test_an_overpayment_is_ingested_once_in_version_order_and_read_in_her_space(api):
    op_id = new_overpayment(api, euros="23.40")
    item = shown(api, op_id)
    assert item["status"] == "due" and item["amount_cents"] == 2340
    assert item["remaining_cents"] == 2340 and item["can_pay"] and item["can_contest"]
    assert item["beneficiary_name"] == "Karim Lambert" and item["care_label"] == "Consultation"
    assert "Sécurité sociale a revu" in item["reason"] and item["due_date"] == "2027-01-31"
    # The same version again: unchanged; an older one after a newer: outdated.
    again = send(api, overpayment(member(api), op_id=op_id, euros="23.40"))
    assert again.status == 200 and again.body["status"] == "unchanged"
    newer = send(api, overpayment(member(api), op_id=op_id, version=3, euros="20.00"))
    assert newer.body["status"] == "applied" and shown(api, op_id)["amount_cents"] == 2000
    older = send(api, overpayment(member(api), op_id=op_id, version=2, euros="99.00"))
    assert older.body["status"] == "outdated" and shown(api, op_id)["amount_cents"] == 2000
    # Cancelled by the management system: nothing owed any more.
    cancelled = send(api, overpayment(member(api), op_id=op_id, version=4, status="cancelled"))
    assert cancelled.status == 200
    after = shown(api, op_id)
    assert after["status"] == "cancelled" and after["remaining_cents"] == 0
    assert not after["can_pay"] and not after["can_contest"]
    refused = pay(api, op_id, 2340)
    assert refused.status == 409 and refused.body["code"] == "cancelled"
    assert "annulé" in refused.body["message"]


def test_a_balanced_overpayment_shows_as_paid(api):
    op_id = new_overpayment(api, status="balanced", paid_on="2026-12-03")
    item = shown(api, op_id)
    assert item["status"] == "paid" and item["paid_on"] == "2026-12-03"
    assert item["remaining_cents"] == 0 and item["status_label"] == "Remboursé"
    assert item["paid_by_card"] is False  # settled by the mutuelle: no receipt of hers
    refused = pay(api, op_id)
    assert refused.status == 409 and refused.body["code"] == "already_paid"


@pytest.mark.parametrize(("change", "reason"), [
    ({"status": "draft"}, "statut de trop-perçu inconnu"),
    ({"euros": "23.405"}, "au-delà du centime"),
    ({"euros": "0"}, "nul ou négatif"),
    ({"op_id": "TP.01"}, "id de trop-perçu invalide"),
])
def test_a_bad_overpayment_resource_is_refused_with_its_reason(api, change, reason):
    answer = send(api, overpayment(member(api), **{"op_id": "TP-BAD-1", **change}))
    assert answer.status == 422 and reason in answer.body["message"]
    assert not [i for i in items_of(api, "OVERPAY#") if i["id"] in ("TP-BAD-1", "TP.01")]


def test_a_resource_without_reason_or_claim_is_refused(api):
    res = overpayment(member(api), op_id="TP-BAD-2")
    del res["note"]
    assert "motif" in send(api, res).body["message"]
    res = overpayment(member(api), op_id="TP-BAD-2")
    res["extension"] = [e for e in res["extension"] if not e["url"].endswith("/corrects")]
    assert "remboursement corrigé" in send(api, res).body["message"]


def test_the_detail_names_the_payment_it_corrects(api):
    claim = next(c for c in api.get("/claims", query="limit=50").body["items"]
                 if c["status"] == "paid" and c["mutual_cents"] > 0)
    op_id = new_overpayment(api, eob_id=claim["id"], care_date=claim["care_date"])
    detail = api.get(f"/claims/overpayments/{op_id}")
    assert detail.status == 200 and detail.body["claim_id"] == claim["id"]
    assert detail.body["claim_paid_cents"] == claim["mutual_cents"]
    assert detail.body["claim_payment_date"]
    assert api.get("/claims/overpayments/TP-NONE").status == 404
    # Another member's: not found, exactly like a missing one.
    other = api.get(f"/claims/overpayments/{op_id}", user=OTHER)
    assert other.status == 404 and other.body["message"] == "Ce trop-perçu est introuvable."
    assert shown(api, op_id, user=OTHER) is None


# ----------------------------------------------------------------------------- card payment
def sent_mails() -> list:
    from moto.ses import ses_backends

    from tests.helpers import deliver_outbox

    deliver_outbox()
    return [m for regions in ses_backends.values() for backend in regions.values()
            for m in getattr(backend, "sent_messages", [])]


def test_paying_by_card_repays_it_once_files_the_receipt_and_tells_the_management_system(api):
    op_id = new_overpayment(api)
    key = f"k-{uuid.uuid4().hex}"
    opened = pay(api, op_id, key=key)
    assert opened.status == 201, opened.body
    payment = opened.body
    assert payment["overpayment_id"] == op_id and payment["amount_cents"] == 2340
    assert payment["periods"] == [] and "/sandbox/paiement/" in payment["checkout_url"]
    assert shown(api, op_id)["status"] == "paying"
    # A double click (same key) and a second payment (new key): the same checkout.
    assert pay(api, op_id, key=key).body["id"] == payment["id"]
    assert pay(api, op_id).body["id"] == payment["id"]
    # Contesting or asking for instalments while a checkout is open: refused.
    busy = api.post(f"/claims/overpayments/{op_id}/contest", {"message": "Non."},
                    headers=idempotency())
    assert busy.status == 409 and busy.body["code"] == "payment_in_progress"
    mails_before = len(sent_mails())

    assert notify(api, event(payment, "succeeded")).status == 200
    item = shown(api, op_id)
    assert item["status"] == "paid" and item["remaining_cents"] == 0
    assert item["paid_on"] == clock.today().isoformat()
    seen = api.get(f"/contract/payments/{payment['id']}").body
    assert seen["status"] == "succeeded" and "remboursé" in seen["message"]
    assert seen["receipt"]["filename"].endswith(".pdf")

    (doc,) = [d for d in items_of(api, "DOC#") if d.get("source") == payment["id"]]
    pdf = boto3.client("s3", region_name="eu-west-3").get_object(
        Bucket=api.resources.names["DocumentsBucket"], Key=doc["s3_key"])["Body"].read()
    text = plain("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert f"Trop-perçu {op_id}" in text and plain("23,40 €") in text
    (repaid,) = [o["event"] for o in items_of(api, "OUTBOX#")
                 if o["event"]["detail_type"] == "OverpaymentRepaid"
                 and o["event"]["detail"]["overpayment_id"] == op_id]
    assert repaid["detail"]["payment_id"] == payment["id"]
    assert repaid["detail"]["amount_cents"] == 2340
    assert [a["action"] for a in items_of(api, "AUDIT#") if a["target"] == payment["id"]] \
        == ["overpayment_card_payment"]
    mails = sent_mails()[mails_before:]
    assert len(mails) == 1 and f"trop-perçu {op_id}" in plain(mails[0].body)

    # Paid: a second payment is refused, and changes nothing.
    before = snapshot(api)
    again = pay(api, op_id)
    assert again.status == 409 and again.body["code"] == "already_paid"
    assert "déjà remboursé" in again.body["message"] and snapshot(api) == before
    # The management system's balanced Invoice later changes nothing she sees.
    send(api, overpayment(member(api), op_id=op_id, version=2, status="balanced",
                          paid_on=clock.today().isoformat()))
    assert shown(api, op_id)["status"] == "paid" and shown(api, op_id)["paid_by_card"] is True


def test_part_of_the_amount_is_refused_and_changes_nothing(api):
    op_id = new_overpayment(api)
    before = snapshot(api)
    partial = pay(api, op_id, 1000)
    assert partial.status == 422 and partial.body["code"] == "partial_amount"
    assert "en une fois" in partial.body["message"] and snapshot(api) == before
    assert pay(api, "TP-UNKNOWN").status == 404
    assert pay(api, op_id, user=OTHER).status == 404
    both = api.post("/contract/payments", {"overpayment_id": op_id, "periods": ["2026-01"],
                                           "amount_cents": 2340}, headers=idempotency())
    assert both.status == 400


def test_a_declined_card_leaves_it_due_and_payable_again(api):
    op_id = new_overpayment(api)
    payment = pay(api, op_id).body
    assert notify(api, event(payment, "failed")).status == 200
    assert shown(api, op_id)["status"] == "due"
    assert pay(api, op_id).body["id"] != payment["id"]


def test_money_for_an_overpayment_balanced_meanwhile_is_refund_due(api):
    op_id = new_overpayment(api)
    payment = pay(api, op_id).body
    send(api, overpayment(member(api), op_id=op_id, version=2, status="balanced",
                          paid_on=clock.today().isoformat()))
    assert notify(api, event(payment, "succeeded")).status == 200
    seen = api.get(f"/contract/payments/{payment['id']}").body
    assert seen["status"] == "refund_due" and "remboursons" in seen["message"]
    assert not [d for d in items_of(api, "DOC#") if d.get("source") == payment["id"]]
    assert not [o for o in items_of(api, "OUTBOX#")
                if o["event"]["detail_type"] == "OverpaymentRepaid"
                and o["event"]["detail"]["overpayment_id"] == op_id]


# ----------------------------------------------------------------------------- requests
def test_contesting_files_a_request_blocks_the_card_and_tells_the_management_system(api):
    op_id = new_overpayment(api)
    before = snapshot(api)
    empty = api.post(f"/claims/overpayments/{op_id}/contest", {"message": "   "},
                     headers=idempotency())
    assert empty.status == 422 and empty.body["code"] == "message_required"
    assert "pourquoi" in empty.body["message"] and snapshot(api) == before
    key = f"k-{uuid.uuid4().hex}"
    filed = api.post(f"/claims/overpayments/{op_id}/contest",
                     {"message": "La Sécurité sociale m'a confirmé sa part."},
                     headers=idempotency(key))
    assert filed.status == 201 and filed.body["reference"].startswith("TC-")
    assert filed.body["overpayment_status"] == "contested"
    # A double click, and a second contest: the first request.
    assert api.post(f"/claims/overpayments/{op_id}/contest",
                    {"message": "La Sécurité sociale m'a confirmé sa part."},
                    headers=idempotency(key)).body["id"] == filed.body["id"]
    assert api.post(f"/claims/overpayments/{op_id}/contest", {"message": "y"},
                    headers=idempotency()).body["id"] == filed.body["id"]
    requests = [r for r in items_of(api, "REQ#") if r["kind"] == "overpayment_contest"]
    assert len(requests) == 1 and requests[0]["payload"]["overpayment_id"] == op_id
    item = shown(api, op_id)
    assert item["status"] == "contested" and not item["can_pay"]
    assert item["request_id"] == filed.body["id"]
    (contested,) = [o["event"] for o in items_of(api, "OUTBOX#")
                    if o["event"]["detail_type"] == "OverpaymentContested"]
    assert contested["detail"]["overpayment_id"] == op_id
    before = snapshot(api)
    refused = pay(api, op_id)
    assert refused.status == 409 and refused.body["code"] == "contested"
    assert "contesté" in refused.body["message"] and snapshot(api) == before
    instalments = api.post(f"/claims/overpayments/{op_id}/instalments", {"months": 3},
                           headers=idempotency())
    assert instalments.status == 409 and snapshot(api) == before
    # The advisors see it with its label and what it is about.
    kinds = {k["kind"]: k["label"] for k in api.get("/support/request-kinds").body}
    assert kinds["overpayment_contest"] == "Contestation d'un trop-perçu"


def test_asking_for_instalments_files_a_request_and_months_are_checked(api):
    op_id = new_overpayment(api)
    before = snapshot(api)
    for months in (1, 13, 0):
        wrong = api.post(f"/claims/overpayments/{op_id}/instalments", {"months": months},
                         headers=idempotency())
        assert wrong.status == 422 and wrong.body["code"] == "months_out_of_range"
        assert "de 2 à 12" in wrong.body["message"]
    assert snapshot(api) == before
    filed = api.post(f"/claims/overpayments/{op_id}/instalments",
                     {"months": 6, "message": "Six mois, s'il vous plaît."},
                     headers=idempotency())
    assert filed.status == 201 and filed.body["reference"].startswith("TE-")
    item = shown(api, op_id)
    assert item["status"] == "instalments_requested" and item["instalments_months"] == 6
    assert item["can_pay"] and item["can_contest"] and not item["can_request_instalments"]
    (asked,) = [o["event"] for o in items_of(api, "OUTBOX#")
                if o["event"]["detail_type"] == "OverpaymentInstalmentsRequested"]
    assert asked["detail"] == {"request_id": filed.body["id"], "overpayment_id": op_id,
                               "months": 6, "amount_cents": 2340,
                               "message": "Six mois, s'il vous plaît."}
    # The advisors see what it is about, in their words.
    seen = api.get(f"/support/advisor/requests/{member(api)}_{filed.body['id']}",
                   user=ADVISOR)
    assert seen.status == 200, seen.body
    details = {d["label"]: d["value"] for d in seen.body["details"]}
    assert details["Trop-perçu"] == op_id and details["Mensualités demandées"] == "6"
    assert seen.body["kind_label"] == "Échéancier pour un trop-perçu"
    again = api.post(f"/claims/overpayments/{op_id}/instalments", {"months": 4},
                     headers=idempotency())
    assert again.body["id"] == filed.body["id"]
    assert len([r for r in items_of(api, "REQ#")
                if r["kind"] == "overpayment_instalments"]) == 1
    assert api.post("/claims/overpayments/TP-NONE/instalments", {"months": 3},
                    headers=idempotency()).status == 404
    assert api.post(f"/claims/overpayments/{op_id}/contest", {"message": "x"}, user=OTHER,
                    headers=idempotency()).status == 404


# ----------------------------------------------------------------------------- faults
def test_a_failing_dependency_leaves_no_half_paid_overpayment(api):
    """Each AWS call of opening the checkout, then of the success notification, fails in
    turn: 503 and nothing written; the retry opens one checkout and repays it once."""
    from tests.integration.test_faults import run_with_faults
    from tests.routes import InProcess

    op_id = new_overpayment(api)
    client = InProcess(api)
    headers = idempotency()
    run_with_faults(api, client, "POST", "/contract/payments",
                    {"overpayment_id": op_id, "amount_cents": 2340}, headers, 201)
    (payment,) = [api.get(f"/contract/payments/{i['pending_payment']}").body
                  for i in items_of(api, "OVERPAY#") if i["id"] == op_id]
    body = event(payment, "succeeded")
    run_with_faults(api, client, "POST", NOTIFY, body, signed(signing_key(api), body), 200)
    assert shown(api, op_id)["status"] == "paid"
    assert len([d for d in items_of(api, "DOC#") if d.get("source") == payment["id"]]) == 1
    assert len([o for o in items_of(api, "OUTBOX#")
                if o["event"]["detail_type"] == "OverpaymentRepaid"
                and o["event"]["detail"]["overpayment_id"] == op_id]) == 1
