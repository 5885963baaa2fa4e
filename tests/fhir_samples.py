"""FHIR R4B resources as the management system sends them (docs/integration.md), for the tests
of the inbound path. Amounts in euros as strings of decimals, as JSON numbers would be."""

from __future__ import annotations

import json
from typing import Any

from domain.fhir import profile as fp

MEMBER = "2025009001"  # a member the demo seed does not know


def _numbers(node: Any) -> Any:
    """Money values as JSON numbers, as FHIR writes them (46.8, not "46.80")."""
    if isinstance(node, dict):
        if set(node) == {"value", "currency"} and isinstance(node["value"], str):
            return {"value": float(node["value"]), "currency": node["currency"]}
        return {k: _numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_numbers(v) for v in node]
    return node


def line(resource: dict[str, Any]) -> bytes:
    return json.dumps(_numbers(resource), ensure_ascii=False).encode()


def ndjson(*resources: dict[str, Any]) -> bytes:
    return b"".join(line(r) + b"\n" for r in resources)


def patient(member: str = MEMBER, benef: str = "B01", *, version: int = 1,
            first: str = "Sophie", last: str = "Garnier", birth: str = "1990-02-14",
            email: str | None = "sophie.g@example.fr") -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Patient", "id": fp.patient_id(member, benef),
        "meta": {"versionId": str(version)},
        "identifier": [{"system": fp.MEMBER_NUMBER, "value": member},
                       {"system": fp.BENEFICIARY_ID, "value": benef},
                       {"system": fp.NIR, "value": "290027512345678"}],
        "name": [{"family": last, "given": [first]}], "birthDate": birth}
    if benef == "B01":
        res["telecom"] = ([{"system": "email", "value": email}] if email else []) + [
            {"system": "phone", "value": "06 12 34 56 78"}]
        res["address"] = [{"line": ["12 rue des Lilas"], "postalCode": "69003",
                           "city": "Lyon", "country": "France"}]
    return res


def coverage(member: str = MEMBER, benef: str = "B01", *, version: int = 1,
             relationship: str = "self", rank: str = "01", start: str = "2025-01-01",
             end: str | None = None, formula: str = "equilibre",
             contract: str = "CT1") -> dict[str, Any]:
    period = {"start": start, **({"end": end} if end else {})}
    res: dict[str, Any] = {
        "resourceType": "Coverage", "id": fp.coverage_id(contract, member, benef),
        "meta": {"versionId": str(version)},
        "status": "cancelled" if end else "active",
        "identifier": [{"system": fp.CONTRACT_NUMBER, "value": f"CT-{member}-01"}],
        "subscriber": {"reference": f"Patient/{member}-B01"}, "subscriberId": member,
        "beneficiary": {"reference": f"Patient/{member}-{benef}"}, "dependent": rank,
        "relationship": {"coding": [{"system": fp.SUBSCRIBER_RELATIONSHIP,
                                     "code": relationship}]},
        "period": period,
        "payor": [{"display": "Mutuelle Clairval"}],
        "class": [{"type": {"coding": [{"system": fp.COVERAGE_CLASS, "code": "plan"}]},
                   "value": formula, "name": formula.capitalize()}],
        "extension": [
            {"url": fp.ext("contract-id"), "valueString": contract},
            {"url": fp.ext("responsable"), "valueBoolean": True},
            {"url": fp.ext("regime"), "valueCode": "general"},
            {"url": fp.ext("noemie"), "extension": [
                {"url": "active", "valueBoolean": True},
                {"url": "since", "valueDate": "2025-02-01"}]},
            {"url": fp.ext("benefit-account"), "extension": [
                {"url": "iban", "valueString": "FR7630006000011234567890189"},
                {"url": "holder", "valueString": "SOPHIE GARNIER"}]},
            {"url": fp.ext("ald"), "extension": [
                {"url": "label", "valueString": "Asthme sévère"},
                {"url": "period", "valuePeriod": {"start": "2024-06-01"}}]},
        ]}
    if benef == "B01":
        res["extension"].append({"url": fp.ext("contribution-account"), "extension": [
            {"url": "iban", "valueString": "FR7630006000011234567890189"},
            {"url": "holder", "valueString": "SOPHIE GARNIER"}]})
    return res


def _adj(system: str, code: str, euros: str, label: str | None = None,
         text: str | None = None) -> dict[str, Any]:
    adj: dict[str, Any] = {"category": {"coding": [{"system": system, "code": code}]},
                           "amount": {"value": euros, "currency": "EUR"}}
    if text:
        adj["reason"] = {"text": text}
    if label:
        adj["extension"] = [{"url": fp.ext("line-label"), "valueString": label}]
    return adj


def eob(member: str = MEMBER, benef: str = "B01", *, eob_id: str = "GST-0001",
        version: int = 1, outcome: str = "complete", care_date: str = "2026-11-20",
        paid_on: str = "2026-11-24", real: str = "30.00", base: str = "30.00",
        ss: str = "20.00", deductibles: str = "2.00", mutual: str = "8.00",
        oop: str = "2.00", request_id: str | None = None, notice: bool | None = None,
        contract: str = "CT1", act: str = "G") -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit", "id": eob_id,
        "meta": {"versionId": str(version)}, "status": "active", "use": "claim",
        "type": {"coding": [{"system": fp.CLAIM_TYPE, "code": "professional"}]},
        "patient": {"reference": f"Patient/{member}-{benef}"},
        "created": f"{paid_on}T10:00:00+01:00",
        "insurer": {"display": "Mutuelle Clairval"},
        "provider": {"display": "Dr Claire Moreau"},
        "outcome": outcome,
        "insurance": [{"focal": True, "coverage": {
            "reference": f"Coverage/{fp.coverage_id(contract, member, benef)}"}}],
        "extension": [{"url": fp.ext("practitioner-specialty"),
                       "valueString": "Médecin généraliste"},
                      {"url": fp.ext("practitioner-sector"), "valueInteger": 1},
                      {"url": fp.ext("practitioner-optam"), "valueBoolean": True}],
        "item": [{"sequence": 1,
                  "productOrService": {"coding": [{"system": fp.ACT, "code": act,
                                                   "display": "Consultation"}]},
                  "servicedDate": care_date, "quantity": {"value": 1},
                  "adjudication": [
                      _adj(*fp.FIGURES["real_cost_cents"], real, "Dépense réelle",
                           f"Montant payé : {real} €."),
                      _adj(*fp.FIGURES["base_cents"], base),
                      _adj(*fp.FIGURES["social_security_cents"], ss),
                      _adj(*fp.FIGURES["deductibles_cents"], deductibles),
                      _adj(fp.ADJUDICATION_FR, "participation-forfaitaire", deductibles),
                      _adj(*fp.FIGURES["mutual_cents"], mutual),
                      _adj(*fp.FIGURES["out_of_pocket_cents"], oop)]}],
        "total": [{"category": {"coding": [{"system": fp.ADJUDICATION, "code": "submitted"}]},
                   "amount": {"value": real, "currency": "EUR"}},
                  {"category": {"coding": [{"system": fp.ADJUDICATION, "code": "benefit"}]},
                   "amount": {"value": mutual, "currency": "EUR"}}]}
    if outcome == "complete":
        res["payment"] = {"type": {"coding": [{"code": "complete"}]}, "date": paid_on,
                          "amount": {"value": mutual, "currency": "EUR"},
                          "extension": [{"url": fp.ext("bank-account-masked"),
                                         "valueString": "FR76 **** **** **** 0189"}]}
    if request_id:
        res["claim"] = {"identifier": {"system": fp.PORTAL_REQUEST, "value": request_id}}
    if notice is not None:
        res["extension"].append({"url": fp.ext("notice"), "valueBoolean": notice})
    return res


def invoice(member: str = MEMBER, period: str = "2026-11", *, version: int = 1,
            status: str = "issued", amount: str = "146.80",
            paid_on: str | None = None) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Invoice", "id": fp.invoice_id(member, period),
        "meta": {"versionId": str(version)}, "status": status,
        "subject": {"reference": f"Patient/{member}-B01"}, "date": f"{period}-05",
        "totalGross": {"value": amount, "currency": "EUR"},
        "extension": [{"url": fp.ext("period"), "valueString": period}]}
    if paid_on:
        res["extension"].append({"url": fp.ext("paid-on"), "valueDate": paid_on})
    return res
