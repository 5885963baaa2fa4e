"""Card payments without AWS: the notification signature (HMAC over timestamp and body,
replay window, constant-time compare), the sandbox provider's checkout and notifications, the
payment's state machine, what she is told, and the receipt."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from contract.logic import payments
from contract.logic.receipt import Receipt, ReceiptLine, render
from contract.models import PaymentIn, PaymentItem
from contract.providers import signing
from contract.providers.base import CheckoutRequest, InvalidNotification
from contract.providers.sandbox import SandboxProvider, decode_terms
from shared import clock
from tests.helpers import plain

pytestmark = pytest.mark.dated  # the outcome depends on the date: the sweep runs it

KEY = "k" * 48
NOW = 1_790_000_000
BODY = b'{"id":"evt_1","type":"checkout.session.succeeded"}'


# ----------------------------------------------------------------------------- signature
def test_a_signature_made_with_the_key_verifies():
    header = signing.sign_notification(KEY, NOW, BODY)
    assert header.startswith(f"t={NOW},v1=")
    assert signing.verify_notification(KEY, header, BODY, NOW + 10, 300) == NOW


@pytest.mark.parametrize(("header", "body", "now", "code"), [
    (None, BODY, NOW, "missing"),
    ("", BODY, NOW, "missing"),
    ("v1=abc", BODY, NOW, "malformed"),
    (f"t={NOW}", BODY, NOW, "malformed"),
    ("t=soon,v1=abc", BODY, NOW, "malformed"),
    (signing.sign_notification(KEY, NOW, BODY), BODY + b" ", NOW, "mismatch"),
    (signing.sign_notification("another key", NOW, BODY), BODY, NOW, "mismatch"),
    (signing.sign_notification(KEY, NOW, BODY).replace(f"t={NOW}", f"t={NOW + 1}"), BODY,
     NOW, "mismatch"),
    (signing.sign_notification(KEY, NOW, BODY), BODY, NOW + 301, "stale"),
    (signing.sign_notification(KEY, NOW, BODY), BODY, NOW - 301, "stale"),
], ids=["none", "empty", "no time", "no mac", "time not a number", "body changed",
        "other key", "time changed", "too old", "from the future"])
def test_anything_else_is_refused(header, body, now, code):
    with pytest.raises(signing.BadSignature) as refused:
        signing.verify_notification(KEY, header, body, now, 300)
    assert refused.value.code == code


def test_during_a_key_rotation_one_matching_signature_is_enough():
    good = signing.sign_notification(KEY, NOW, BODY).split(",")[1]
    header = f"t={NOW},v1={'0' * 64},{good}"
    assert signing.verify_notification(KEY, header, BODY, NOW, 300) == NOW


def test_signatures_are_compared_in_constant_time(monkeypatch):
    compared = []
    real = signing.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(signing.hmac, "compare_digest", spy)
    header = f"t={NOW},v1={'0' * 64},v1={'1' * 64}"
    with pytest.raises(signing.BadSignature):
        signing.verify_notification(KEY, header, BODY, NOW, 300)
    assert len(compared) == 2  # every candidate, through hmac.compare_digest


def test_a_checkout_signature_never_passes_for_a_notification():
    payload = f"{NOW}.".encode() + BODY
    forged = f"t={NOW},v1={signing.sign_checkout(KEY, BODY.decode())}"
    with pytest.raises(signing.BadSignature):
        signing.verify_notification(KEY, forged, BODY, NOW, 300)
    assert not signing.checkout_signature_is_valid(KEY, payload.decode(), "0" * 64)


# ----------------------------------------------------------------------------- sandbox provider
def provider() -> SandboxProvider:
    return SandboxProvider(key=KEY, checkout_url="https://pay.example/sandbox/paiement/",
                           merchant="Mutuelle Clairval")


def request(**changes) -> CheckoutRequest:
    values = dict(amount_cents=14680, currency="EUR", reference="P20261126T100000-0a0b0c0d",
                  description="Cotisation : novembre 2026",
                  return_url="https://site.example/espace/contrat/situation/?paiement=P1",
                  notification_url="https://site.example/api/public/payments/notifications",
                  expires_at=clock.now() + timedelta(minutes=15))
    return CheckoutRequest(**{**values, **changes})


def test_a_checkout_address_carries_its_terms_signed():
    checkout = provider().create_checkout(request())
    url = urlsplit(checkout.url)
    assert url.path == f"/sandbox/paiement/{checkout.session_id}"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert signing.checkout_signature_is_valid(KEY, query["d"], query["s"])
    terms = decode_terms(query["d"])
    assert (terms.id, terms.amount_cents, terms.reference, terms.merchant) == (
        checkout.session_id, 14680, "P20261126T100000-0a0b0c0d", "Mutuelle Clairval")
    # Another amount in the same address no longer matches its signature.
    other = provider().create_checkout(request(amount_cents=1))
    other_payload = parse_qs(urlsplit(other.url).query)["d"][0]
    assert not signing.checkout_signature_is_valid(KEY, other_payload, query["s"])


def sandbox_event(kind="succeeded", **data) -> bytes:
    return json.dumps({"id": "evt_test_1", "type": f"checkout.session.{kind}",
                       "created": NOW, "data": {"session": "cs_test_1", "reference": "P1",
                                                "amount_cents": 14680, "currency": "eur",
                                                **data}}).encode()


@pytest.mark.parametrize("kind", ["succeeded", "failed", "canceled"])
def test_the_sandbox_notifications_read_as_outcomes(kind):
    body = sandbox_event(kind, reason="card_declined" if kind == "failed" else None)
    headers = {"Sandbox-Signature": signing.sign_notification(KEY, clock.epoch(), body)}
    note = provider().verify_notification(headers, body, clock.now())
    assert (note.outcome, note.session_id, note.reference, note.amount_cents, note.currency) \
        == (kind, "cs_test_1", "P1", 14680, "EUR")


def test_header_names_are_read_whatever_their_case():
    body = sandbox_event()
    headers = {"sandbox-signature": signing.sign_notification(KEY, clock.epoch(), body)}
    assert provider().verify_notification(headers, body, clock.now()).outcome == \
        "succeeded"


@pytest.mark.parametrize(("body", "code"), [
    (b"not json", "invalid_notification"),
    (sandbox_event("refunded"), "invalid_notification"),
    (json.dumps({"id": "e", "type": "checkout.session.succeeded", "created": 1}).encode(),
     "invalid_notification"),
])
def test_a_signed_notification_we_cannot_read_is_refused(body, code):
    headers = {"Sandbox-Signature": signing.sign_notification(KEY, clock.epoch(), body)}
    with pytest.raises(InvalidNotification) as refused:
        provider().verify_notification(headers, body, clock.now())
    assert refused.value.code == code


def test_an_old_notification_is_refused_as_stale():
    body = sandbox_event()
    headers = {"Sandbox-Signature": signing.sign_notification(KEY, clock.epoch() - 600,
                                                              body)}
    with pytest.raises(InvalidNotification) as refused:
        provider().verify_notification(headers, body, clock.now())
    assert refused.value.code == "stale_notification"


# ----------------------------------------------------------------------------- state machine
@pytest.mark.parametrize(("current", "outcome", "after"), [
    ("pending", "succeeded", "succeeded"),
    ("pending", "failed", "failed"),
    ("pending", "canceled", "canceled"),
    ("failed", "succeeded", "succeeded"),
    ("failed", "failed", None),
    ("failed", "canceled", None),
    ("canceled", "succeeded", "succeeded"),
    ("canceled", "failed", None),
    ("canceled", "canceled", None),
    ("succeeded", "succeeded", None),
    ("succeeded", "failed", None),
    ("succeeded", "canceled", None),
    ("refund_due", "succeeded", None),
    ("refund_due", "failed", None),
    ("refund_due", "canceled", None),
])
def test_the_payment_state_machine(current, outcome, after):
    assert payments.transition(current, outcome) == after


def item(**changes) -> PaymentItem:
    values = dict(id="P20261126T100000-0a0b0c0d", member_id="2024001871", periods=["2026-11"],
                  amount_cents=14680, status="pending", provider="sandbox",
                  session_id="cs_test_1", checkout_url="https://pay.example/x",
                  expires_at=clock.epoch() + 600, created_at="2026-11-26T11:00:00+01:00")
    return PaymentItem(**{**values, **changes})


def test_a_pending_payment_past_its_session_is_seen_as_not_made():
    now = clock.now()
    assert payments.seen_as(item(), now) == "pending"
    assert payments.seen_as(item(expires_at=int(now.timestamp()) - 1), now) == "expired"
    assert payments.seen_as(item(status="succeeded", expires_at=0), now) == "succeeded"
    shown = payments.view(item(expires_at=0), now)
    assert shown.status == "expired" and shown.checkout_url is None


@pytest.mark.parametrize(("periods", "said"), [
    (["2026-11"], "l'échéance de novembre 2026"),
    (["2026-04"], "l'échéance d'avril 2026"),
    (["2026-10", "2026-08"], "les échéances d'août 2026 et d'octobre 2026"),
    (["2026-01", "2026-03", "2026-02"],
     "les échéances de janvier 2026, de février 2026 et de mars 2026"),
])
def test_instalments_are_named_in_good_french(periods, said):
    assert payments.instalments_phrase(periods) == said


@pytest.mark.parametrize(("status", "reason", "words"), [
    ("succeeded", None, "accepté"),
    ("failed", "card_declined", "refusé"),
    ("failed", "authentication_failed", "vérification demandée par votre banque"),
    ("canceled", None, "abandonné"),
    ("refund_due", None, "remboursons"),
])
def test_each_outcome_is_told_plainly(status, reason, words):
    message = payments.message(item(status=status, reason=reason), status)
    assert words in message and message.endswith(".")
    if status in ("failed", "canceled"):
        assert "aucune somme n'a été prélevée" in message


def test_a_payment_asks_for_distinct_months_and_cents():
    assert PaymentIn(periods=["2026-10", "2026-11"], amount_cents=29360).amount_cents == 29360
    for bad in ({"periods": ["2026-11", "2026-11"], "amount_cents": 1},
                {"periods": ["2026-13"], "amount_cents": 1},
                {"periods": ["2026-11"], "amount_cents": 1.5},
                {"periods": ["2026-11"], "amount_cents": True}):
        with pytest.raises(ValueError):
            PaymentIn.model_validate(bad)


# ----------------------------------------------------------------------------- receipt
def test_the_receipt_says_what_was_paid_and_nothing_of_the_card():
    receipt = Receipt(brand_name="Mutuelle Clairval", brand_address="12 rue des Tilleuls",
                      member_name="Fatima Lambert", member_number="2024001871",
                      payment_id="P20261126T100000-0a0b0c0d",
                      paid_at=datetime(2026, 11, 26, 10, 5, tzinfo=UTC),
                      lines=(ReceiptLine("octobre 2026", date(2026, 10, 5), 14680),
                             ReceiptLine("novembre 2026", date(2026, 11, 5), 14680)))
    pdf = render(receipt)
    text = plain("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for expected in ("Reçu de paiement", "Fatima Lambert", "2024001871",
                     "P20261126T100000-0a0b0c0d", "Octobre 2026", "Novembre 2026",
                     "05/11/2026", "293,60 €", "26 novembre 2026 à 11:05"):
        assert expected in text, expected
    assert "4242" not in text and "cryptogramme" not in text.lower()


def test_a_refund_for_several_instalments_agrees_in_number():
    one = payments.message(item(status="refund_due"), "refund_due")
    many = payments.message(item(status="refund_due", periods=["2026-10", "2026-11"]),
                            "refund_due")
    assert "l'échéance de novembre 2026 était déjà réglée :" in one
    assert "les échéances d'octobre 2026 et de novembre 2026 étaient déjà réglées :" in many
