"""Card payments of late instalments, every route in-process under moto: the total recomputed,
one checkout per instalment at a time, the provider's notification verified (signature, age,
payment, amount) and acting exactly once, the receipt filed with the instalments, another
member's payment not found, and nothing half-written when a dependency fails."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, timedelta

import boto3
import pytest
from pypdf import PdfReader

from contract import repository
from shared import clock
from shared.dates import add_months
from shared.money import format_eur
from tests.helpers import aws_calls, idempotency, plain
from tests.integration.test_call_budget import iam_actions, policy_actions
from tests.integration.test_faults import failure
from tests.payments import event, signed, signing_key
from tests.routes import ADVISOR, OTHER, OWNER

NOTIFY = "/public/payments/notifications"
TODAY = clock.today()
# Two months always past due, whatever today is.
LATE_A = f"{add_months(date(TODAY.year, TODAY.month, 5), -1):%Y-%m}"
LATE_B = f"{add_months(date(TODAY.year, TODAY.month, 5), -2):%Y-%m}"


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def member_id(api, user=OWNER) -> str:
    return api.demo["members"][user]["member_id"]


def instalments(api, user=OWNER) -> dict[str, dict]:
    found = table(api).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues={":pk": f"MEMBER#{member_id(api, user)}", ":c": "CONTRIB#"})
    return {i["period"]: i for i in found["Items"]}


def items_of(api, prefix: str, user=OWNER) -> list[dict]:
    found = table(api).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues={":pk": f"MEMBER#{member_id(api, user)}", ":c": prefix})
    return found["Items"]


def snapshot(api, *payment_ids: str):
    """Everything a payment route may write: her instalments, documents, audit trail and
    idempotency markers, the payments named, and the stored files. (A payment item is only
    ever written with its instalments' holds: unchanged holds mean no new payment.)"""
    items = {(i["pk"], i["sk"]): i for prefix in ("CONTRIB#", "DOC#", "AUDIT#", "IDEM#")
             for i in items_of(api, prefix)}
    for payment_id in payment_ids:
        items[("PAYMENT", payment_id)] = stored_payment(api, payment_id)
    listing = boto3.client("s3", region_name="eu-west-3").list_objects_v2(
        Bucket=api.resources.names["DocumentsBucket"], Prefix=f"members/{member_id(api)}/")
    return items, {o["Key"] for o in listing.get("Contents", [])}


def stored_payment(api, payment_id: str) -> dict:
    return table(api).get_item(Key={"pk": f"PAYMENT#{payment_id}", "sk": "PAYMENT"})["Item"]


def make_late(api, *late: str) -> None:
    """Fatima's schedule as the seed makes it, with `late` unpaid: every other instalment
    due before today is paid, and no checkout holds any."""
    for period, item in instalments(api).items():
        due = date.fromisoformat(item["due_date"])
        key = {"pk": item["pk"], "sk": item["sk"]}
        clear = "REMOVE payment_id, paid_by, pending_payment, pending_until"
        if period in late or due >= TODAY:
            table(api).update_item(Key=key, UpdateExpression=clear + ", paid_on")
        else:
            table(api).update_item(Key=key, UpdateExpression="SET paid_on = :d " + clear,
                                   ExpressionAttributeValues={
                                       ":d": (due - timedelta(days=1)).isoformat()})


@pytest.fixture
def late(api):
    make_late(api, LATE_A)
    return LATE_A


def amount_of(api, *periods: str) -> int:
    rows = instalments(api)
    return sum(int(rows[p]["amount_cents"]) for p in periods)


def open_payment(api, periods, amount=None, *, key=None, user=OWNER):
    return api.post("/contract/payments", {
        "periods": list(periods),
        "amount_cents": amount_of(api, *periods) if amount is None else amount},
        user=user, headers=idempotency(key))


def notify(api, body: dict, headers: dict | None = None, *, key: str | None = None):
    headers = headers if headers is not None else signed(key or signing_key(api), body)
    return api.post(NOTIFY, body, headers=headers)


def paid(api, period: str) -> bool:
    return "paid_on" in instalments(api)[period]


def sent_mails() -> list:
    from moto.ses import ses_backends

    from tests.helpers import deliver_outbox

    deliver_outbox()
    return [m for regions in ses_backends.values() for backend in regions.values()
            for m in getattr(backend, "sent_messages", [])]


# ----------------------------------------------------------------------------- success
def test_a_confirmed_payment_pays_the_instalment_files_the_receipt_and_tells_her(api, late):
    opened = open_payment(api, [late])
    assert opened.status == 201, opened.body
    payment = opened.body
    assert payment["status"] == "pending" and payment["amount_cents"] == amount_of(api, late)
    assert payment["checkout_url"].startswith("https://") and "/sandbox/paiement/cs_test_" \
        in payment["checkout_url"]
    hold = instalments(api)[late]
    assert hold["pending_payment"] == payment["id"] and "paid_on" not in hold
    documents_before = items_of(api, "DOC#")
    mails_before = len(sent_mails())

    before = clock.today()
    answer = notify(api, event(payment, "succeeded"))
    assert answer.status == 200 and answer.body == {"received": True}

    row = instalments(api)[late]
    # Paid today in Paris (the run may cross midnight: the module was loaded the day before).
    assert row["paid_on"] in {before.isoformat(), clock.today().isoformat()}
    assert row["payment_id"] == payment["id"]
    assert "pending_payment" not in row and "pending_until" not in row
    schedule = api.get("/contract/contributions").body
    assert schedule["late_cents"] == 0
    assert next(i for i in schedule["instalments"] if i["id"] == late)["status"] == "paid"

    seen = api.get(f"/contract/payments/{payment['id']}")
    assert seen.status == 200 and seen.body["status"] == "succeeded"
    assert seen.body["checkout_url"] is None and "accepté" in seen.body["message"]
    assert seen.body["receipt"]["filename"].endswith(".pdf")

    # The receipt: one document, its PDF, in the same transaction as the instalment.
    new = [d for d in items_of(api, "DOC#") if d not in documents_before]
    assert len(new) == 1 and new[0]["kind"] == "receipt" and new[0]["source"] == payment["id"]
    assert stored_payment(api, payment["id"])["receipt_id"] == new[0]["id"]
    pdf = boto3.client("s3", region_name="eu-west-3").get_object(
        Bucket=api.resources.names["DocumentsBucket"], Key=new[0]["s3_key"])["Body"].read()
    assert pdf.startswith(b"%PDF")
    text = plain("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    amount = plain(format_eur(payment["amount_cents"]))
    assert "Reçu de paiement" in text and payment["id"] in text and amount in text
    assert "4242" not in text  # nothing about a card: we never receive it

    audit = [a for a in items_of(api, "AUDIT#") if a["target"] == payment["id"]]
    assert [a["action"] for a in audit] == ["contribution_card_payment"]
    # The management system, which keeps the contributions' accounts, learns of the money in
    # the same transaction.
    (received,) = [o["event"] for o in items_of(api, "OUTBOX#")
                   if o["event"]["detail_type"] == "ContributionPaymentReceived"
                   and o["event"]["detail"]["payment_id"] == payment["id"]]
    assert received["detail"]["periods"] == [late]
    assert received["detail"]["amount_cents"] == payment["amount_cents"]

    mails = sent_mails()[mails_before:]
    assert len(mails) == 1 and "bien reçu votre paiement" in mails[0].subject
    assert amount in plain(mails[0].body) and "4242" not in mails[0].body


def test_a_repeated_or_late_notification_changes_nothing_and_answers_200(api, late):
    payment = open_payment(api, [late]).body
    first = event(payment, "succeeded")
    headers = signed(signing_key(api), first)
    assert notify(api, first, headers).status == 200
    after = snapshot(api, payment["id"])
    mails = len(sent_mails())
    for body, how in [(first, headers),  # the same delivery again, within its window
                      (event(payment, "succeeded"), None),  # the provider's second event
                      (event(payment, "failed"), None),  # a decline arriving late
                      (event(payment, "canceled"), None)]:
        answer = notify(api, body, how)
        assert answer.status == 200 and answer.body == {"received": True}
        assert snapshot(api, payment["id"]) == after
    assert len(sent_mails()) == mails


def test_two_deliveries_racing_settle_once(api, late, monkeypatch):
    """Both read the payment `pending` before either wrote: the conditional write lets one
    through; the other answers 200 and leaves nothing behind (not even its receipt file)."""
    payment = open_payment(api, [late]).body
    stale = dict(stored_payment(api, payment["id"]))
    assert notify(api, event(payment, "succeeded")).status == 200
    after = snapshot(api, payment["id"])
    real = repository.payment
    monkeypatch.setattr(repository, "payment",
                        lambda pid: stale if pid == payment["id"] else real(pid))
    assert notify(api, event(payment, "succeeded")).status == 200
    assert snapshot(api, payment["id"]) == after


# ----------------------------------------------------------------------------- opening
def test_a_double_submit_or_a_second_click_reaches_the_same_checkout(api, late):
    key = str(uuid.uuid4())
    first = open_payment(api, [late], key=key)
    again = open_payment(api, [late], key=key)
    assert first.status == again.status == 201
    assert again.body["id"] == first.body["id"]
    # Another click (new key) while the checkout is open: the same payment, not a second one.
    other = open_payment(api, [late])
    assert other.status == 201 and other.body["id"] == first.body["id"]
    assert other.body["checkout_url"] == first.body["checkout_url"]


def test_an_open_checkout_blocks_another_for_the_same_instalment(api):
    make_late(api, LATE_A, LATE_B)
    first = open_payment(api, [LATE_A]).body
    before = snapshot(api, first["id"])
    both = open_payment(api, [LATE_A, LATE_B])
    assert both.status == 409 and both.body["code"] == "payment_in_progress"
    assert "déjà en cours" in both.body["message"]
    assert snapshot(api, first["id"]) == before
    # The other instalment alone is free.
    alone = open_payment(api, [LATE_B])
    assert alone.status == 201 and alone.body["id"] != first["id"]


def test_the_total_is_recomputed_and_a_total_that_changed_is_refused(api, late):
    before = snapshot(api)
    answer = open_payment(api, [late], amount_of(api, late) - 100)
    assert answer.status == 409 and answer.body["code"] == "amount_changed"
    assert "Le montant à régler a changé" in answer.body["message"]
    assert snapshot(api) == before


def test_a_page_opened_before_another_payment_is_refused(api, late):
    """Two tabs: the first pays; the second, opened before, asks for the same instalment."""
    payment = open_payment(api, [late]).body
    assert notify(api, event(payment, "succeeded")).status == 200
    before = snapshot(api, payment["id"])
    answer = open_payment(api, [late], amount_of(api, late))
    assert answer.status == 409 and answer.body["code"] == "already_paid"
    assert "déjà réglée" in answer.body["message"]
    assert snapshot(api, payment["id"]) == before


NOT_DUE = f"{add_months(date(TODAY.year, TODAY.month, 5), 1):%Y-%m}"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"periods": [NOT_DUE], "amount_cents": 14680}, 422, "not_due"),
    ({"periods": ["2001-01"], "amount_cents": 14680}, 422, "unknown_instalment"),
    ({"periods": [LATE_A, LATE_A], "amount_cents": 29360}, 400, "invalid_input"),
    ({"periods": [], "amount_cents": 14680}, 400, "invalid_input"),
    ({"periods": ["novembre"], "amount_cents": 14680}, 400, "invalid_input"),
    ({"periods": [LATE_A], "amount_cents": "146,80"}, 400, "invalid_input"),
    ({"periods": [LATE_A], "amount_cents": 146.8}, 400, "invalid_input"),
    ({"periods": [LATE_A], "amount_cents": 0}, 400, "invalid_input"),
    ({"periods": [LATE_A]}, 400, "invalid_input"),
    ({"periods": [LATE_A], "amount_cents": 14680, "member_id": "x"}, 400, "invalid_input"),
], ids=["not due", "unknown", "twice", "none", "not a period", "text amount", "decimals",
        "zero", "no amount", "extra field"])
def test_bad_choices_get_a_french_4xx_and_change_nothing(api, late, body, status, code):
    before = snapshot(api)
    answer = api.post("/contract/payments", body, headers=idempotency())
    assert answer.status == status and answer.body["code"] == code, answer.body
    assert answer.body["message"][0].isupper() and "." in answer.body["message"]
    assert snapshot(api) == before


def test_a_creation_without_idempotency_key_is_refused(api, late):
    answer = api.post("/contract/payments", {"periods": [late],
                                             "amount_cents": amount_of(api, late)})
    assert answer.status == 400 and "Idempotency-Key" in answer.body["message"]


# ----------------------------------------------------------------------------- unpaid
@pytest.mark.parametrize(("outcome", "reason", "said"), [
    ("failed", "card_declined", "Le paiement a été refusé"),
    ("failed", "authentication_failed", "La vérification demandée par votre banque"),
    ("canceled", None, "Vous avez abandonné le paiement"),
], ids=["declined", "3-D Secure refused", "abandoned"])
def test_a_payment_that_ends_unpaid_changes_nothing_and_she_can_try_again(
        api, late, outcome, reason, said):
    payment = open_payment(api, [late]).body
    documents = items_of(api, "DOC#")
    assert notify(api, event(payment, outcome, reason=reason)).status == 200
    row = instalments(api)[late]
    assert "paid_on" not in row and "pending_payment" not in row  # still late, free again
    seen = api.get(f"/contract/payments/{payment['id']}").body
    assert seen["status"] == outcome and seen["message"].startswith(said)
    assert "aucune somme n'a été prélevée" in seen["message"] and seen["receipt"] is None
    assert items_of(api, "DOC#") == documents
    assert api.get("/contract/contributions").body["late_cents"] == amount_of(api, late)
    again = open_payment(api, [late])
    assert again.status == 201 and again.body["id"] != payment["id"]


def test_a_success_arriving_after_a_decline_still_pays(api, late):
    """Notifications may come out of order: money taken is always accounted for."""
    payment = open_payment(api, [late]).body
    assert notify(api, event(payment, "failed")).status == 200
    assert notify(api, event(payment, "succeeded")).status == 200
    assert paid(api, late)
    assert api.get(f"/contract/payments/{payment['id']}").body["status"] == "succeeded"


def test_money_for_instalments_paid_meanwhile_is_flagged_for_a_refund(api, late):
    payment = open_payment(api, [late]).body
    # Meanwhile the instalment was paid another way (a direct debit came through).
    key = {"pk": f"MEMBER#{member_id(api)}", "sk": f"CONTRIB#{late}"}
    table(api).update_item(Key=key, UpdateExpression="SET paid_on = :d",
                           ExpressionAttributeValues={":d": TODAY.isoformat()})
    documents = items_of(api, "DOC#")
    assert notify(api, event(payment, "succeeded")).status == 200
    seen = api.get(f"/contract/payments/{payment['id']}").body
    assert seen["status"] == "refund_due" and "remboursons" in seen["message"]
    row = instalments(api)[late]
    assert "payment_id" not in row and "pending_payment" not in row
    assert items_of(api, "DOC#") == documents  # no receipt for money we give back
    assert "double emploi" in sent_mails()[-1].subject


def test_an_expired_checkout_is_said_not_made_and_can_be_opened_again(api, late):
    payment = open_payment(api, [late]).body
    past = clock.epoch() - 3600
    table(api).update_item(Key={"pk": f"PAYMENT#{payment['id']}", "sk": "PAYMENT"},
                           UpdateExpression="SET expires_at = :t",
                           ExpressionAttributeValues={":t": past})
    table(api).update_item(Key={"pk": f"MEMBER#{member_id(api)}", "sk": f"CONTRIB#{late}"},
                           UpdateExpression="SET pending_until = :t",
                           ExpressionAttributeValues={":t": past})
    seen = api.get(f"/contract/payments/{payment['id']}").body
    assert seen["status"] == "expired" and seen["checkout_url"] is None
    assert "n'a pas été terminé" in seen["message"]
    again = open_payment(api, [late])
    assert again.status == 201 and again.body["id"] != payment["id"]


# ----------------------------------------------------------------------------- forged
def _forged(api, payment: dict, key: str) -> list[tuple[str, dict, dict, int, str]]:
    """(case, body, headers, status, code): each refused, each changing nothing."""
    good = event(payment, "succeeded")
    now = clock.epoch()
    altered = json.loads(json.dumps(good))
    altered_headers = signed(key, good)
    altered["data"]["amount_cents"] = 1
    other_key = signed("not-the-providers-key", good)
    wrong_amount = event(payment, "succeeded", amount_cents=payment["amount_cents"] - 1)
    wrong_currency = dict(good, data={**good["data"], "currency": "USD"})
    unknown = event(payment, "succeeded", reference="P20260101T000000-00000000")
    other_session = event(payment, "succeeded", session="cs_test_" + "0" * 24)
    odd_type = dict(good, type="checkout.session.refunded")
    header = signed(key, good)["Sandbox-Signature"]
    return [
        ("no signature", good, {}, 400, "invalid_signature"),
        ("another key", good, other_key, 400, "invalid_signature"),
        ("body changed after signing", altered, altered_headers, 400, "invalid_signature"),
        ("signature of another time", good,
         {"Sandbox-Signature": header.replace(f"t={now}", f"t={now - 1}")}, 400,
         "invalid_signature"),
        ("garbled header", good, {"Sandbox-Signature": "v1=abc,t=x"}, 400,
         "invalid_signature"),
        ("stale (replayed after 6 minutes)", good, signed(key, good, at=now - 360), 400,
         "stale_notification"),
        ("from the future", good, signed(key, good, at=now + 360), 400,
         "stale_notification"),
        ("unknown payment", unknown, signed(key, unknown), 404, "unknown_payment"),
        ("another session", other_session, signed(key, other_session), 404,
         "unknown_payment"),
        ("wrong amount", wrong_amount, signed(key, wrong_amount), 422, "amount_mismatch"),
        ("wrong currency", wrong_currency, signed(key, wrong_currency), 422,
         "amount_mismatch"),
        ("unknown event", odd_type, signed(key, odd_type), 400, "invalid_notification"),
    ]


def test_forged_stale_or_wrong_notifications_are_refused_and_change_nothing(api, late):
    payment = open_payment(api, [late]).body
    before = snapshot(api, payment["id"])
    for case, body, headers, status, code in _forged(api, payment, signing_key(api)):
        answer = notify(api, body, headers)
        assert (answer.status, answer.body["code"]) == (status, code), (case, answer.body)
        assert snapshot(api, payment["id"]) == before, case
    # The genuine one still works afterwards.
    assert notify(api, event(payment, "succeeded")).status == 200 and paid(api, late)


def test_a_notification_that_is_not_json_is_refused(api):
    answer = api.post(NOTIFY, "t=1&v1=x", headers={"content-type": "text/plain"})
    assert answer.status == 415


# ----------------------------------------------------------------------------- access
def test_another_members_payment_is_not_found(api, late):
    payment = open_payment(api, [late]).body
    for user in (OTHER,):
        answer = api.get(f"/contract/payments/{payment['id']}", user=user)
        assert answer.status == 404 and "introuvable" in answer.body["message"]
    assert api.get("/contract/payments/P20260101T000000-00000000").status == 404
    assert api.get(f"/contract/payments/{payment['id']}", user=ADVISOR).status == 403
    # Paul's own instalment of that month is paid: nothing of Fatima's is reachable.
    assert open_payment(api, [late], 14680, user=OTHER).status in (409, 422)


# ----------------------------------------------------------------------------- faults, budget
def test_a_failing_dependency_while_confirming_leaves_nothing_half_written(api, late):
    """Each AWS call of the confirmation fails in turn: 503 with Retry-After, nothing written
    (no instalment paid without its receipt, no orphan file); then it goes through once."""
    payment = open_payment(api, [late]).body
    body = event(payment, "succeeded")
    headers = signed(signing_key(api), body)
    before = snapshot(api, payment["id"])
    attempt = 0
    while True:
        seen: list[str] = []

        def fail(service, operation, params, attempt=attempt, seen=seen):
            seen.append(operation)
            return failure(service, operation, attempt) if len(seen) == attempt + 1 else None

        with aws_calls(fail=fail):
            answer = notify(api, body, headers)
        if len(seen) <= attempt:
            break
        if answer.status == 200 and seen[attempt] == "DeleteObject":
            break
        assert answer.status == 503 and answer.headers.get("Retry-After"), (seen, answer.body)
        assert snapshot(api, payment["id"]) == before, f"half-written after {seen[attempt]}"
        attempt += 1
    assert answer.status == 200 and attempt >= 4, (attempt, seen)
    after = snapshot(api, payment["id"])
    created = set(after[0]) - set(before[0])
    assert sorted(sk.split("#")[0] for _, sk in created) == ["AUDIT", "DOC"]
    assert len(after[1] - before[1]) == 1  # one receipt file, no orphan
    assert paid(api, late)
    assert notify(api, body, headers).status == 200 and snapshot(api, payment["id"]) == after


def test_confirming_stays_within_the_call_budget_and_its_policy(api, late):
    payment = open_payment(api, [late]).body
    api.get("/members/me")
    body = event(payment, "succeeded")
    with aws_calls() as calls:
        assert notify(api, body).status == 200
    table_calls = [op for service, op, _ in calls if service == "dynamodb"]
    assert len(table_calls) <= 3, table_calls
    allowed = policy_actions("ContractFunction")
    for service, operation, params in calls:
        for action in iam_actions(service, operation, params):
            assert action in allowed, action
    with aws_calls() as calls:
        assert api.get(f"/contract/payments/{payment['id']}").status == 200
    assert len([c for c in calls if c[0] == "dynamodb"]) <= 3


def test_the_provider_key_is_read_as_the_policy_allows():
    """aws_calls does not see the Secrets Manager client: its permission is checked here."""
    from infra.local import template

    props = template.resources("AWS::Serverless::Function")["ContractFunction"]
    statements = [s for p in props["Policies"] for s in p["Statement"]]
    reads = [s for s in statements if "secretsmanager:GetSecretValue" in s["Action"]]
    # The payment provider's keys, and the wallets' (issue 21): nothing else.
    assert reads == [{"Sid": "PaymentProviderKeys", "Effect": "Allow",
                      "Action": ["secretsmanager:GetSecretValue"],
                      "Resource": {"Ref": "PaymentSecret"}},
                     {"Sid": "WalletKeys", "Effect": "Allow",
                      "Action": ["secretsmanager:GetSecretValue"],
                      "Resource": {"Ref": "WalletSecret"}}]
    assert props["Environment"]["Variables"]["PAYMENT_SECRET_ARN"] == {"Ref": "PaymentSecret"}
    assert props["Environment"]["Variables"]["WALLET_SECRET_ARN"] == {"Ref": "WalletSecret"}
