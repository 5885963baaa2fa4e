"""Identifiers, code systems and extensions of the portal's FHIR profile (docs/integration.md).
CARIN Blue Button's adjudication codes are used where they fit; ours name the French figures
they do not have."""

from __future__ import annotations

BASE = "https://espace-adherent.example/fhir"
VERSION = "4.3.0"  # FHIR R4B, read and written with fhir.resources' R4B models


def ext(name: str) -> str:
    return f"{BASE}/StructureDefinition/{name}"


def system(name: str) -> str:
    return f"{BASE}/{name}"


def code_system(name: str) -> str:
    return f"{BASE}/CodeSystem/{name}"


MEMBER_NUMBER = system("member-number")
BENEFICIARY_ID = system("beneficiary-id")
CONTRACT_NUMBER = system("contract-number")
PORTAL_REQUEST = system("portal-request")
OVERPAYMENT_REFERENCE = system("overpayment-reference")
NIR = "urn:oid:1.2.250.1.213.1.4.8"  # INS-NIR

ACT = code_system("act")
# Invoice.type: an instalment (the default when absent) or an overpayment asked back.
INVOICE_TYPE = code_system("invoice-type")
CONTRIBUTION, OVERPAYMENT = "contribution", "overpayment"
ADJUDICATION_FR = code_system("adjudication")
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
C4BB_ADJUDICATION = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"

# The portal's figures of a reimbursement and the adjudication category that carries each.
FIGURES: dict[str, tuple[str, str]] = {
    "real_cost_cents": (ADJUDICATION, "submitted"),
    "base_cents": (ADJUDICATION, "eligible"),
    "social_security_cents": (C4BB_ADJUDICATION, "priorpayerpaid"),
    "deductibles_cents": (ADJUDICATION, "deductible"),
    "mutual_cents": (ADJUDICATION, "benefit"),
    "out_of_pocket_cents": (C4BB_ADJUDICATION, "memberliability"),
    "ticket_moderateur_cents": (ADJUDICATION_FR, "ticket-moderateur"),
}
# Portal relationship -> subscriber-relationship code, and back.
RELATIONSHIPS = {"member": "self", "spouse": "spouse", "child": "child", "other": "other"}
FROM_RELATIONSHIP = {v: k for k, v in RELATIONSHIPS.items()}


def patient_id(member_id: str, beneficiary_id: str) -> str:
    return f"{member_id}-{beneficiary_id}"


def coverage_id(contract_id: str, member_id: str, beneficiary_id: str) -> str:
    return f"{contract_id}-{member_id}-{beneficiary_id}"


def invoice_id(member_id: str, period: str) -> str:
    return f"{member_id}-{period}"
