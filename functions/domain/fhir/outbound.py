"""The portal's data as FHIR R4B resources (docs/integration.md, « Out of the portal as FHIR »):
the same profile the management system writes in, so what leaves here reads back unchanged.

Plain dicts, built without fhir.resources (the members' export carries them without the
library; the tests validate every resource with its R4B model). Amounts are `Decimal` euros
made exactly from integer cents; `dumps` writes them as JSON numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from domain import repository
from domain.fhir import profile as p
from domain.membership import FILE, PROFILE_SK, Beneficiary, Contract, Profile
from domain.reimbursement import ClaimItem
from domain.situation import Situation
from shared import clock
from shared.ids import iso_paris
from shared.settings import get_settings

Resource = dict[str, Any]

# Engine category -> HL7 claim-type (the kind of bill the act of care was on).
CLAIM_TYPES = {"pharmacy": "pharmacy", "optics": "vision", "dental_care": "oral",
               "dental_prosthesis": "oral", "hospital": "institutional"}
OUTCOMES = {"paid": "complete", "processing": "queued", "rejected": "error"}
PAYMENT_TYPE = p.code_system("payment-type")
PAYEE_TYPE = "http://terminology.hl7.org/CodeSystem/payeetype"
INVOICE_STATUS = {True: "balanced", False: "issued"}


def money(cents: int) -> dict[str, Any]:
    """Integer cents as FHIR Money, in euros, exactly (no float on the way)."""
    return {"value": Decimal(int(cents)).scaleb(-2), "currency": "EUR"}


def _meta(version: int | str | None) -> dict[str, str]:
    return {"versionId": str(int(version or 1))}


def _ref(kind: str, rid: str) -> dict[str, str]:
    return {"reference": f"{kind}/{rid}"}


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _period(start: date | None, end: date | None) -> dict[str, str]:
    period = {}
    if start is not None:
        period["start"] = start.isoformat()
    if end is not None:
        period["end"] = end.isoformat()
    return period


def _ext(name: str, **value: Any) -> dict[str, Any]:
    return {"url": p.ext(name), **value}


def _complex(name: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """A complex extension: its parts are sub-extensions named by a plain url."""
    return {"url": p.ext(name), "extension": parts}


# ----------------------------------------------------------------------------- Patient
def patient(member_id: str, beneficiary: Beneficiary, profile: Profile | None = None, *,
            version: int | str | None = None) -> Resource:
    """One protected person. The subscriber's (the adhérent's, `profile` given) also carries
    how the mutuelle reaches her."""
    identifiers = [{"system": p.MEMBER_NUMBER, "value": member_id},
                   {"system": p.BENEFICIARY_ID, "value": beneficiary.id}]
    if beneficiary.nir:
        identifiers.append({"system": p.NIR, "value": beneficiary.nir})
    resource: Resource = {
        "resourceType": "Patient", "id": p.patient_id(member_id, beneficiary.id),
        "meta": _meta(version), "identifier": identifiers,
        "name": [{"family": beneficiary.last_name, "given": [beneficiary.first_name]}],
        "birthDate": beneficiary.birth_date.isoformat(),
    }
    if profile is not None:
        resource["name"] = [{"family": profile.last_name, "given": [profile.first_name]}]
        telecom = [{"system": "email", "value": profile.email}]
        if profile.phone:
            telecom.append({"system": "phone", "value": profile.phone})
        resource["telecom"] = telecom
        if profile.address is not None:
            address = profile.address
            resource["address"] = [{
                "line": [line for line in (address.line1, address.line2) if line],
                "postalCode": address.postcode, "city": address.city,
                "country": address.country}]
    return resource


# ----------------------------------------------------------------------------- Coverage
def _situation_extensions(situation: Situation) -> list[dict[str, Any]]:
    extensions = [_ext("regime", valueCode=situation.regime)]
    for ald in situation.ald:
        extensions.append(_complex("ald", [
            {"url": "label", "valueString": ald.label},
            {"url": "period", "valuePeriod": _period(ald.start, ald.end)}]))
    for name, periods in (("c2s", situation.c2s), ("ame", situation.ame)):
        extensions += [_ext(name, valuePeriod=_period(x.start, x.end)) for x in periods]
    for pregnancy in situation.pregnancies:
        parts = [{"url": url, "valueDate": day.isoformat()} for url, day in (
            ("start", pregnancy.start_date), ("expected-birth", pregnancy.expected_birth_date),
            ("birth", pregnancy.birth_date)) if day is not None]
        extensions.append(_complex("pregnancy", parts))
    return extensions


def _account(name: str, iban: str, holder: str | None) -> dict[str, Any]:
    parts = [{"url": "iban", "valueString": iban}]
    if holder:
        parts.append({"url": "holder", "valueString": holder})
    return _complex(name, parts)


def coverage(member_id: str, contract: Contract, beneficiary: Beneficiary, *,
             subscriber_id: str = "B01", noemie: dict[str, Any] | None = None,
             benefit_holder: str | None = None, brand: str | None = None,
             version: int | str | None = None) -> Resource:
    """The contract as it covers one protected person (CARIN style: one Coverage each); the
    subscriber's also carries the contract's own facts (contribution account, portabilité).
    `noemie`: {active, since?} as stored with the beneficiary."""
    subscriber = beneficiary.id == subscriber_id
    extensions = [_ext("contract-id", valueString=contract.id),
                  _ext("responsable", valueBoolean=contract.responsable),
                  *_situation_extensions(beneficiary.situation)]
    if noemie is not None:
        parts = [{"url": "active", "valueBoolean": bool(noemie.get("active"))}]
        if noemie.get("since"):
            parts.append({"url": "since", "valueDate": str(noemie["since"])[:10]})
        extensions.append(_complex("noemie", parts))
    if beneficiary.benefit_iban:
        extensions.append(_account("benefit-account", beneficiary.benefit_iban, benefit_holder))
    if subscriber and contract.contribution_iban:
        extensions.append(_account("contribution-account", contract.contribution_iban,
                                   contract.contribution_holder))
    if subscriber and contract.portability is not None:
        extensions.append(_ext("portability", valuePeriod=_period(
            contract.portability.start, contract.portability.end)))
    classes = [{"type": _coding(p.COVERAGE_CLASS, "plan"), "value": contract.formula_id,
                "name": contract.formula_label}]
    if contract.collective:
        group = {"type": _coding(p.COVERAGE_CLASS, "group"), "value": "employer"}
        if contract.employer:
            group["name"] = contract.employer
        classes.append(group)
    resource: Resource = {
        "resourceType": "Coverage",
        "id": p.coverage_id(contract.id, member_id, beneficiary.id),
        "meta": _meta(version), "extension": extensions,
        "status": "cancelled" if contract.end_date is not None else "active",
        "subscriber": _ref("Patient", p.patient_id(member_id, subscriber_id)),
        "subscriberId": member_id,
        "beneficiary": _ref("Patient", p.patient_id(member_id, beneficiary.id)),
        "dependent": beneficiary.rank,
        "relationship": _coding(p.SUBSCRIBER_RELATIONSHIP,
                                p.RELATIONSHIPS[beneficiary.relationship]),
        "period": _period(contract.start_date, contract.end_date),
        "payor": [{"display": brand or get_settings().brand_name}],
        "class": classes,
    }
    if contract.number:
        resource["identifier"] = [{"system": p.CONTRACT_NUMBER, "value": contract.number}]
    return resource


# ----------------------------------------------------------------------------- EOB
def _adjudication(figure: str, cents: int, line: Any | None) -> dict[str, Any]:
    system, code = p.FIGURES[figure]
    adjudication: dict[str, Any] = {"category": _coding(system, code), "amount": money(cents)}
    if line is not None:
        adjudication["extension"] = [_ext("line-label", valueString=line.label)]
        adjudication["reason"] = {"text": line.explanation}
    return adjudication


def adjudications(claim: ClaimItem) -> list[dict[str, Any]]:
    """One adjudication per figure of the décompte, each with its line's explanation; the
    deductibles split into participation forfaitaire and franchises when the engine said."""
    lines = {line.key: line for line in claim.lines}
    result = [_adjudication(figure, getattr(claim, figure),
                            lines.get(figure.removesuffix("_cents")))
              for figure in p.FIGURES]
    for key, code in (("participation_cents", "participation-forfaitaire"),
                      ("franchise_cents", "franchise")):
        cents = claim.consumption.get(key)
        if cents:
            result.append({"category": _coding(p.ADJUDICATION_FR, code),
                           "amount": money(int(cents))})
    return result


def explanation_of_benefit(member_id: str, claim: ClaimItem, *, contract_id: str,
                           notice: bool | None = True, subscriber_id: str = "B01",
                           brand: str | None = None,
                           version: int | str | None = None) -> Resource:
    """One reimbursement (one act of care) as the management system sends it. `notice`
    False: history already known to her, no payment notice is due for it; None: not said
    (her export, where it instructs no one)."""
    practitioner = claim.practitioner
    extensions = [] if notice is None else [_ext("notice", valueBoolean=notice)]
    extensions.append(_ext("care-pathway", valueBoolean=claim.care_pathway))
    if practitioner is not None:
        if practitioner.specialty:
            extensions.append(_ext("practitioner-specialty", valueString=practitioner.specialty))
        if practitioner.sector is not None:
            extensions.append(_ext("practitioner-sector", valueInteger=practitioner.sector))
        if practitioner.optam is not None:
            extensions.append(_ext("practitioner-optam", valueBoolean=practitioner.optam))
    extensions += [_ext("situation", valueString=s) for s in claim.situations]
    brand = brand or get_settings().brand_name
    resource: Resource = {
        "resourceType": "ExplanationOfBenefit", "id": claim.id, "meta": _meta(version),
        "extension": extensions, "status": "active",
        "type": _coding(p.CLAIM_TYPE, CLAIM_TYPES.get(claim.category, "professional")),
        "use": "claim",
        "patient": _ref("Patient", p.patient_id(member_id, claim.beneficiary_id)),
        "created": claim.care_date.isoformat(),
        "insurer": {"display": brand},
        "provider": {"display": practitioner.name if practitioner and practitioner.name
                     else "Professionnel de santé non précisé"},
        "outcome": OUTCOMES[claim.status],
        "insurance": [{"focal": True, "coverage": _ref("Coverage", p.coverage_id(
            contract_id, member_id, claim.beneficiary_id))}],
        "item": [{
            "sequence": 1,
            "productOrService": _coding(p.ACT, claim.act_code, claim.act_label),
            "servicedDate": claim.care_date.isoformat(),
            "quantity": {"value": claim.quantity},
            "adjudication": adjudications(claim)}],
        "total": [{"category": _coding(*p.FIGURES["real_cost_cents"]),
                   "amount": money(claim.real_cost_cents)},
                  {"category": _coding(*p.FIGURES["mutual_cents"]),
                   "amount": money(claim.mutual_cents)}],
    }
    if claim.request_id:
        resource["claim"] = {"identifier": {"system": p.PORTAL_REQUEST,
                                            "value": claim.request_id}}
    if claim.status == "paid" and claim.payment_date is not None:
        payment: dict[str, Any] = {"type": _coding(PAYMENT_TYPE, "actual"),
                                   "date": claim.payment_date.isoformat(),
                                   "amount": money(claim.mutual_cents)}
        if claim.bank_account_masked:
            payment["extension"] = [_ext("bank-account-masked",
                                         valueString=claim.bank_account_masked)]
        resource["payment"] = payment
        resource["payee"] = {"type": _coding(PAYEE_TYPE, "subscriber"),
                             "party": _ref("Patient", p.patient_id(member_id, subscriber_id))}
    return resource


# ----------------------------------------------------------------------------- Invoice
def invoice(member_id: str, contribution: dict[str, Any], *, subscriber_id: str = "B01",
            version: int | str | None = None) -> Resource:
    """One instalment (a stored `CONTRIB#<yyyy-mm>` item: period, due_date, amount_cents,
    paid_on when paid, cancelled when called off)."""
    period = str(contribution["period"])
    paid_on = contribution.get("paid_on")
    extensions = [_ext("period", valueString=period)]
    if paid_on:
        extensions.append(_ext("paid-on", valueDate=str(paid_on)[:10]))
    cancelled = contribution.get("cancelled") or contribution.get("status") == "cancelled"
    status = "cancelled" if cancelled else INVOICE_STATUS[bool(paid_on)]
    return {
        "resourceType": "Invoice", "id": p.invoice_id(member_id, period),
        "meta": _meta(version), "extension": extensions, "status": status,
        "subject": _ref("Patient", p.patient_id(member_id, subscriber_id)),
        "date": str(contribution["due_date"])[:10],
        "totalGross": money(int(contribution["amount_cents"])),
    }


def overpayment_invoice(member_id: str, item: dict[str, Any], *,
                        subscriber_id: str = "B01", version: int | str | None = None) -> Resource:
    """One trop-perçu (a stored `OVERPAY#<id>` item), in the profile the management system
    sends it in (docs/integration.md, « Invoice (overpayment) »). Paid by card in the portal
    before the management system says so, it reads as balanced on the day she paid."""
    paid_on = item.get("balanced_on") or item.get("paid_on")
    status = "cancelled" if item.get("gestion_status") == "cancelled" else (
        "balanced" if paid_on else "issued")
    extensions = []
    if item.get("claim_id") and item.get("care_date"):  # the reimbursement it corrects
        extensions += [
            _ext("corrects", valueReference=_ref("ExplanationOfBenefit", str(item["claim_id"]))),
            _ext("care-date", valueDate=str(item["care_date"])[:10])]
    extensions.append(_ext("due-date", valueDate=str(item["due_date"])[:10]))
    if paid_on and status == "balanced":
        extensions.append(_ext("paid-on", valueDate=str(paid_on)[:10]))
    resource: Resource = {
        "resourceType": "Invoice", "id": str(item["id"]), "meta": _meta(version),
        "extension": extensions,
        "identifier": [{"system": p.OVERPAYMENT_REFERENCE,
                        "value": str(item.get("reference") or item["id"])}],
        "status": status,
        "type": _coding(p.INVOICE_TYPE, p.OVERPAYMENT, "Trop-perçu"),
        "subject": _ref("Patient", p.patient_id(member_id, str(item["beneficiary_id"]))),
        "recipient": _ref("Patient", p.patient_id(member_id, subscriber_id)),
        "totalGross": money(int(item["amount_cents"])),
        "totalNet": money(int(item["amount_cents"])),
        "note": [{"text": str(item["reason"])}],
    }
    if item.get("issued_on"):
        resource["date"] = str(item["issued_on"])[:10]
    if item.get("act_code"):
        resource["lineItem"] = [{"sequence": 1, "chargeItemCodeableConcept": _coding(
            p.ACT, str(item["act_code"]), item.get("act_label"))}]
    return resource


# ----------------------------------------------------------------------------- her bundle
def _version(item: dict[str, Any], resource_type: str) -> Any:
    return item.get(f"src_{resource_type.lower()}")


def contract_on(contracts: Iterable[Contract], day: date) -> Contract | None:
    """The contract that covered a day (the latest started), else the latest one."""
    contracts = sorted(contracts, key=lambda c: c.start_date)
    covering = [c for c in contracts if c.active_on(day)]
    return (covering or contracts or [None])[-1]


def resources_of(member_id: str, items: list[dict[str, Any]], *,
                 brand: str | None = None) -> list[Resource]:
    """Her stored items (file, reimbursements, contributions) as FHIR resources: a Patient
    and a Coverage per protected person and contract, an ExplanationOfBenefit per
    reimbursement, an Invoice per instalment and per trop-perçu. Other items are not the
    insurer's data."""
    brand = brand or get_settings().brand_name
    by_sk = {i["sk"]: i for i in items}
    profile_item = by_sk.get(PROFILE_SK)
    prof = Profile.model_validate(profile_item) if profile_item else None
    contract_items = [i for i in items if i["sk"].startswith(f"{FILE}CONTRACT#")]
    benef_items = sorted((i for i in items if i["sk"].startswith(f"{FILE}BENEF#")),
                         key=lambda i: str(i.get("rank", "")))
    beneficiaries = [(Beneficiary.model_validate(i), i) for i in benef_items]
    subscriber = next((b.id for b, _ in beneficiaries if b.relationship == "member"), "B01")
    resources: list[Resource] = []
    for benef, raw in beneficiaries:
        is_subscriber = benef.id == subscriber
        resources.append(patient(member_id, benef, prof if is_subscriber else None,
                                 version=_version(raw, "Patient")))
    contracts = [Contract.model_validate(i) for i in contract_items]
    for contract, raw_contract in zip(contracts, contract_items, strict=True):
        for benef, raw in beneficiaries:
            noemie = raw.get("noemie")
            version = _version(raw_contract if benef.id == subscriber else raw, "Coverage")
            resources.append(coverage(
                member_id, contract, benef, subscriber_id=subscriber,
                noemie=noemie if isinstance(noemie, dict) else None,
                benefit_holder=raw.get("benefit_holder"), brand=brand, version=version))
    for item in items:
        if item.get("type") == "claim" and item["sk"].startswith("CLAIM#"):
            claim = ClaimItem.model_validate(item)
            contract = contract_on(contracts, claim.care_date)
            resources.append(explanation_of_benefit(
                member_id, claim, contract_id=contract.id if contract else "CT1",
                notice=None, subscriber_id=subscriber, brand=brand,
                version=_version(item, "ExplanationOfBenefit")))
    for item in items:
        if item.get("type") == "contribution" and item["sk"].startswith("CONTRIB#"):
            resources.append(invoice(member_id, item, subscriber_id=subscriber,
                                     version=_version(item, "Invoice")))
    for item in items:
        if item.get("type") == "overpayment" and item["sk"].startswith("OVERPAY#"):
            resources.append(overpayment_invoice(member_id, item, subscriber_id=subscriber,
                                                 version=_version(item, "Invoice")))
    return resources


def bundle(resources: list[Resource]) -> Resource:
    """A Bundle of type collection: her data as one document, portable to another insurer."""
    return {
        "resourceType": "Bundle", "type": "collection",
        "timestamp": iso_paris(clock.now()),
        "entry": [{"fullUrl": f"{p.BASE}/{r['resourceType']}/{r['id']}", "resource": r}
                  for r in resources],
    }


def member_bundle(member_id: str) -> Resource:
    """Her file, reimbursements, contributions and trop-perçus as one FHIR Bundle (four
    Queries)."""
    items = [*repository.member_file(member_id, FILE),
             *repository.member_file(member_id, "CLAIM#"),
             *repository.member_file(member_id, "CONTRIB#"),
             *repository.member_file(member_id, "OVERPAY#")]
    return bundle(resources_of(member_id, items))


# ----------------------------------------------------------------------------- JSON
def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A two-decimal euro amount: its float's shortest repr is the same decimal text.
        return int(value) if value == value.to_integral_value() and value.as_tuple(
        ).exponent >= 0 else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(resource: Resource, **kwargs: Any) -> str:
    return json.dumps(resource, default=_number, ensure_ascii=False, **kwargs)


def ndjson_line(resource: Resource) -> bytes:
    """One line of a bulk data file (no indentation, UTF-8, newline ended)."""
    return (dumps(resource, separators=(",", ":")) + "\n").encode()
