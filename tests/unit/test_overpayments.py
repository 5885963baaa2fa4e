"""Trop-perçus (issue 21) without AWS: the inbound Invoice of type overpayment read into its
item (and refused with a French reason when it cannot be), the status she sees derived from
the management system's and her own attributes, when a card payment is allowed, the receipt
and the events' details."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from domain import events
from domain import overpayments as op
from shared.dates import PARIS
from system.logic import mapping
from system.logic.mapping import Refused
from tests.fhir_samples import line
from tests.overpay_samples import overpayment


def read(resource: dict) -> dict:
    data = mapping.parse(line(resource))
    assert mapping.validate(data) == "Invoice"
    mapped = mapping.invoice(data)
    (write,) = mapped.writes
    assert write.sk.startswith("OVERPAY#")
    return write.fields


def test_an_overpayment_invoice_maps_to_its_item():
    fields = read(overpayment("2024001871", "B02", op_id="TP-2026-0042", euros="23.40",
                              eob_id="GST-2026-5512", care_date="2026-11-20"))
    assert fields["amount_cents"] == 2340 and fields["gestion_status"] == "issued"
    assert fields["beneficiary_id"] == "B02" and fields["reference"] == "TP-2026-0042"
    assert fields["due_date"] == "2027-01-31" and fields["care_date"] == "2026-11-20"
    assert fields["act_label"] == "Consultation" and fields["balanced_on"] is None
    # The décompte it corrects: the same claim id the EOB itself lands on.
    assert fields["claim_id"] == mapping.claim_id_of("GST-2026-5512", date(2026, 11, 20))
    assert read(overpayment(eob_id="C20261120-0a1b2c3d"))["claim_id"] == "C20261120-0a1b2c3d"


def test_a_contribution_invoice_is_still_an_instalment():
    from tests.fhir_samples import invoice

    data = mapping.parse(line(invoice()))
    mapping.validate(data)
    (write,) = mapping.invoice(data).writes
    assert write.sk.startswith("CONTRIB#")


@pytest.mark.parametrize(("change", "reason"), [
    (lambda r: r.update(status="draft"), "statut de trop-perçu inconnu"),
    (lambda r: r.pop("note"), "motif du trop-perçu manquant"),
    (lambda r: r.update(totalGross={"value": -5, "currency": "EUR"}), "nul ou négatif"),
    (lambda r: r.update(totalGross={"value": 5, "currency": "USD"}), "euros attendus"),
    (lambda r: r["extension"].pop(0), "remboursement corrigé manquant"),
    (lambda r: r["extension"].pop(1), "date des soins"),
    (lambda r: r["extension"].pop(2), "date limite"),
    (lambda r: r.update(recipient={"reference": "Patient/2099000001-B01"}),
     "même numéro d'adhérent"),
    (lambda r: r.update(type={"coding": [{"system": "x", "code": "refund"}]}),
     "type de facture inconnu"),
    (lambda r: r.update(status="balanced"), "sans date de paiement"),
])
def test_a_bad_overpayment_is_refused_with_its_reason(change, reason):
    resource = overpayment()
    change(resource)
    with pytest.raises(Refused) as refused:
        read(resource)
    assert reason in refused.value.reason


def item(**over) -> op.OverpaymentItem:
    return op.OverpaymentItem.model_validate({
        "id": "TP-1", "reference": "TP-1", "beneficiary_id": "B02", "amount_cents": 2340,
        "reason": "x", "due_date": "2027-01-31", "gestion_status": "issued", **over})


NOW = 1_800_000_000


@pytest.mark.parametrize(("over", "status", "payable"), [
    ({}, "due", True),
    ({"gestion_status": "cancelled", "paid_on": "2026-12-01"}, "cancelled", False),
    ({"gestion_status": "balanced", "balanced_on": "2026-12-01"}, "paid", False),
    ({"paid_on": "2026-12-01", "contest_request": "R1"}, "paid", False),
    ({"contest_request": "R1", "instalments_request": "R2"}, "contested", False),
    ({"pending_payment": "P1", "pending_until": NOW + 60}, "paying", True),
    ({"pending_payment": "P1", "pending_until": NOW - 1}, "due", True),
    ({"instalments_request": "R2", "instalments_months": 6}, "instalments_requested", True),
])
def test_her_status_and_whether_she_may_pay(over, status, payable):
    it = item(**over)
    assert op.status(it, NOW) == status
    assert op.payable(it, NOW)[0] is payable
    assert op.remaining_cents(it, NOW) == (0 if status in ("paid", "cancelled") else 2340)
    if not payable:
        assert op.payable(it, NOW)[2]  # a French reason to show


def test_the_overpayment_receipt_names_the_trop_percu():
    from contract.logic.receipt import Receipt, ReceiptLine, render

    pdf = render(Receipt(
        brand_name="Mutuelle Clairval", brand_address=None, member_name="Fatima Lambert",
        member_number="2024001871", payment_id="P20261207T101010-abcdef12",
        paid_at=datetime(2026, 12, 7, 10, 10, tzinfo=PARIS), overpayment=True,
        lines=(ReceiptLine(label="Trop-perçu TP-1, soins du 20/11/2026",
                           due_date=date(2027, 1, 31), amount_cents=2340),)), compress=False)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Remboursement d'un trop-perçu" in text and "Trop-perçu TP-1" in text
    assert "Cotisations" not in text and "soldé" in text


def test_the_events_refuse_what_their_schema_does_not_allow():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        events.OverpaymentInstalmentsRequested(request_id="R", overpayment_id="TP-1",
                                               months=13, amount_cents=100)
    with pytest.raises(ValidationError):
        events.OverpaymentRepaid(overpayment_id="TP-1", payment_id="P", amount_cents=1,
                                 paid_at="x", extra=1)
    assert {events.OverpaymentRepaid, events.OverpaymentContested,
            events.OverpaymentInstalmentsRequested} <= set(events.GESTION)


def test_the_local_management_system_names_each_overpayment_event():
    from infra.local.gestion import SUMMARIES

    assert SUMMARIES["OverpaymentRepaid"]({"overpayment_id": "TP-1"}) \
        == "Trop-perçu TP-1 remboursé par carte"
    assert "6 mois" in SUMMARIES["OverpaymentInstalmentsRequested"](
        {"overpayment_id": "TP-1", "months": 6})
    assert "contesté" in SUMMARIES["OverpaymentContested"]({"overpayment_id": "TP-1"})
