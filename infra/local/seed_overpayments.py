"""The demo's trop-perçu (issue 21): one overpayment of Fatima's, sent by the management
system as it sends any (an Invoice of type overpayment in her inbox file), so « Mes
remboursements » shows the block and its page from the first start. Nobody else has one.

It corrects a recent paid reimbursement of Karim's (her spouse): the Sécurité sociale revised
its part after the mutuelle had paid, so part of the mutuelle's payment was too much."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from domain.fhir import profile as fp

if TYPE_CHECKING:
    from infra.local.seed import Member, MemberFile

DEMO_EMAIL = "fatima.l@example.fr"
REASON = ("La Sécurité sociale a revu à la hausse sa part de ce soin après notre "
          "versement : la part de la mutuelle devait donc être plus faible. La différence "
          "vous a été versée en trop.")


def demo_id(today: date) -> str:
    return f"TP-{today.year}-0001"


def resources(member: Member, file: MemberFile, today: date) -> list[dict[str, Any]]:
    if member.email != DEMO_EMAIL:
        return []
    paid = sorted((c for c in file.claims if c.status == "paid" and c.mutual_cents >= 1000
                   and c.beneficiary_name.startswith("Karim")
                   and c.care_date <= today - timedelta(days=10)),
                  key=lambda c: c.care_date)
    if not paid:
        return []
    claim = paid[-1]
    # A round part of what was paid: 30 % of it, to the euro below.
    amount = max(100, claim.mutual_cents * 3 // 10 // 100 * 100)
    benef = next(b for b in member.beneficiaries if b.first_name == "Karim")
    subscriber = next(b for b in member.beneficiaries if b.relationship == "member")
    euros = amount / 100
    return [{
        "resourceType": "Invoice", "id": demo_id(today), "meta": {"versionId": "1"},
        "identifier": [{"system": fp.OVERPAYMENT_REFERENCE, "value": demo_id(today)}],
        "status": "issued",
        "type": {"coding": [{"system": fp.INVOICE_TYPE, "code": fp.OVERPAYMENT,
                             "display": "Trop-perçu"}]},
        "subject": {"reference": f"Patient/{member.member_id}-{benef.id}"},
        "recipient": {"reference": f"Patient/{member.member_id}-{subscriber.id}"},
        "date": (today - timedelta(days=2)).isoformat(),
        "totalGross": {"value": euros, "currency": "EUR"},
        "totalNet": {"value": euros, "currency": "EUR"},
        "note": [{"text": REASON}],
        "lineItem": [{"sequence": 1, "chargeItemCodeableConcept": {"coding": [{
            "system": fp.ACT, "code": claim.act_code, "display": claim.act_label}]}}],
        "extension": [
            {"url": fp.ext("corrects"),
             "valueReference": {"reference": f"ExplanationOfBenefit/{claim.id}"}},
            {"url": fp.ext("care-date"), "valueDate": claim.care_date.isoformat()},
            {"url": fp.ext("due-date"), "valueDate": (today + timedelta(days=45)).isoformat()}],
    }]
