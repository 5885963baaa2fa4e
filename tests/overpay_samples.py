"""The management system's overpayment (trop-perçu) resource, an Invoice of type overpayment
(docs/integration.md), for the tests of issue 21."""

from __future__ import annotations

from typing import Any

from domain.fhir import profile as fp

FATIMA = "2024001871"


def overpayment(member: str = FATIMA, benef: str = "B02", *, op_id: str = "TP-2026-0001",
                version: int = 1, status: str = "issued", euros: str = "23.40",
                eob_id: str = "GST-2026-5512", care_date: str = "2026-11-20",
                due_date: str = "2027-01-31", reason: str | None = None,
                paid_on: str | None = None, act: tuple[str, str] | None = ("G", "Consultation"),
                ) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Invoice", "id": op_id, "meta": {"versionId": str(version)},
        "identifier": [{"system": fp.OVERPAYMENT_REFERENCE, "value": f"{op_id}"}],
        "status": status,
        "type": {"coding": [{"system": fp.INVOICE_TYPE, "code": fp.OVERPAYMENT,
                             "display": "Trop-perçu"}]},
        "subject": {"reference": f"Patient/{member}-{benef}"},
        "recipient": {"reference": f"Patient/{member}-B01"},
        "date": "2026-12-01",
        "totalGross": {"value": float(euros), "currency": "EUR"},
        "totalNet": {"value": float(euros), "currency": "EUR"},
        "note": [{"text": reason or (
            "La Sécurité sociale a revu sa part de cette consultation : la part de la "
            "mutuelle devait être plus faible.")}],
        "extension": [
            {"url": fp.ext("corrects"),
             "valueReference": {"reference": f"ExplanationOfBenefit/{eob_id}"}},
            {"url": fp.ext("care-date"), "valueDate": care_date},
            {"url": fp.ext("due-date"), "valueDate": due_date}]}
    if act:
        res["lineItem"] = [{"sequence": 1, "chargeItemCodeableConcept": {
            "coding": [{"system": fp.ACT, "code": act[0], "display": act[1]}]},
            "priceComponent": [{"type": "base", "amount": {"value": float(euros),
                                                           "currency": "EUR"}}]}]
    if paid_on:
        res["extension"].append({"url": fp.ext("paid-on"), "valueDate": paid_on})
    return res
