"""The inbound FHIR profile mapped to the portal's items: one resource type at a time, amounts
in cents exactly as the decimal euros say."""

from datetime import date
from decimal import Decimal

import pytest

from system.logic import mapping
from system.logic.mapping import Refused
from tests import fhir_samples as fs


def read(resource: dict) -> dict:
    data = mapping.parse(fs.line(resource))
    assert mapping.validate(data) == resource["resourceType"]
    return data


def test_a_patient_is_her_beneficiary_item_and_the_subscriber_her_profile_too():
    mapped = mapping.patient(read(fs.patient()))
    assert (mapped.member_id, mapped.subscriber) == (fs.MEMBER, True)
    benef, profile = mapped.writes
    assert benef.sk == "FILE#BENEF#B01"
    assert benef.fields["birth_date"] == "1990-02-14"
    assert benef.fields["nir"] == "290027512345678"
    assert benef.defaults == {"rank": "01", "relationship": "member"}
    assert profile.sk == "FILE#PROFILE"
    assert profile.fields["email"] == "sophie.g@example.fr"
    assert profile.fields["address"] == {"line1": "12 rue des Lilas", "postcode": "69003",
                                         "city": "Lyon", "country": "France"}
    child = mapping.patient(read(fs.patient(benef="B02", first="Léo")))
    assert not child.subscriber and [w.sk for w in child.writes] == ["FILE#BENEF#B02"]


def test_identifiers_that_would_reach_into_another_key_are_refused():
    sneaky = fs.patient()
    sneaky["identifier"][0]["value"] = "2025009001#FILE"
    with pytest.raises(Refused, match="identifiant invalide"):
        mapping.patient(read(sneaky))


def test_the_subscribers_patient_needs_an_email():
    with pytest.raises(Refused, match="e-mail"):
        mapping.patient(read(fs.patient(email=None)))


def test_a_coverage_is_the_beneficiarys_situation_and_the_subscribers_contract():
    mapped = mapping.coverage(read(fs.coverage(end="2026-12-31", version=2)))
    benef, contract = mapped.writes
    assert benef.requires == ("src_patient",)
    assert benef.fields["relationship"] == "member" and benef.fields["rank"] == "01"
    assert benef.fields["situation"]["ald"] == [
        {"start": "2024-06-01", "end": None, "label": "Asthme sévère"}]
    assert benef.fields["noemie"] == {"active": True, "since": "2025-02-01"}
    assert contract.sk == "FILE#CONTRACT#CT1"
    assert contract.fields["end_date"] == "2026-12-31"
    assert contract.fields["formula_id"] == "equilibre"
    assert contract.fields["contribution_holder"] == "SOPHIE GARNIER"
    spouse = mapping.coverage(read(fs.coverage(benef="B02", relationship="spouse")))
    assert [w.sk for w in spouse.writes] == ["FILE#BENEF#B02"]


def test_an_invoice_is_an_instalment_in_cents():
    mapped = mapping.invoice(read(fs.invoice(status="balanced", amount="146.8",
                                             paid_on="2026-11-04")))
    (write,) = mapped.writes
    assert write.sk == "CONTRIB#2026-11"
    assert write.fields["amount_cents"] == 14680
    assert write.fields["paid_on"] == "2026-11-04" and write.fields["due_date"] == "2026-11-05"
    due = mapping.invoice(read(fs.invoice(status="issued")))
    assert "paid_on" not in due.writes[0].fields  # never removes a payment made in the portal


def test_an_explanation_of_benefit_is_a_reimbursement_with_exact_cents():
    eob = mapping.explanation_of_benefit(read(fs.eob(
        real="45.10", base="26.50", ss="16.55", deductibles="2.00", mutual="7.95",
        oop="20.60", care_date="2026-11-20")))
    assert eob.figures == {"real_cost_cents": 4510, "base_cents": 2650,
                           "social_security_cents": 1655, "deductibles_cents": 200,
                           "mutual_cents": 795, "out_of_pocket_cents": 2060,
                           "ticket_moderateur_cents": 795}
    assert eob.claim_id.startswith("C20261120-") and len(eob.claim_id) == 18
    assert (eob.status, eob.payment_date, eob.paid_cents) == ("paid", date(2026, 11, 24), 795)
    item = mapping.claim_item(eob, beneficiary_name="Sophie Garnier", formula_id="equilibre")
    assert item["gsi1pk"] == f"MEMBER#{fs.MEMBER}#BENEF#B01"
    assert [line["key"] for line in item["lines"]][0] == "real_cost"
    assert item["lines"][0]["explanation"] == "Montant payé : 45.10 €."
    assert item["consumption"]["participation_cents"] == 200
    notice = mapping.notice_item(eob, "Sophie")
    assert notice["amount_cents"] == 795 and notice["paid_on"] == "2026-11-24"


def test_a_portal_claim_id_is_kept_and_a_request_is_named():
    eob = mapping.explanation_of_benefit(read(fs.eob(eob_id="C20261120-0a1b2c3d",
                                                     request_id="R20261121T101500Z-abc")))
    assert eob.claim_id == "C20261120-0a1b2c3d"
    assert eob.request_id == "R20261121T101500Z-abc"


@pytest.mark.parametrize(("change", "reason"), [
    ({"mutual": "8.01"}, "montants incohérents"),
    ({"deductibles": "3.00"}, "montants incohérents"),
    ({"real": "30.005"}, "au-delà du centime"),
    ({"outcome": "complete", "mutual": "8.00", "oop": "2.00", "act": "NOPE"}, "acte inconnu"),
])
def test_amounts_that_do_not_add_up_are_refused(change, reason):
    with pytest.raises(Refused, match=reason):
        mapping.explanation_of_benefit(read(fs.eob(**change)))


def test_euros_become_cents_exactly():
    assert mapping.cents({"value": Decimal("0.1"), "currency": "EUR"}, "x") == 10
    assert mapping.cents({"value": Decimal("19.99"), "currency": "EUR"}, "x") == 1999
    assert mapping.cents({"value": 20, "currency": "EUR"}, "x") == 2000
    with pytest.raises(Refused, match="devise"):
        mapping.cents({"value": 1, "currency": "USD"}, "x")


def test_the_digest_is_the_content_whatever_the_key_order():
    a = mapping.parse(b'{"a": 1, "b": {"c": 2.50}}')
    b = mapping.parse(b'{"b": {"c": 2.50}, "a": 1}')
    assert mapping.digest(a) == mapping.digest(b)
    assert mapping.digest(a) != mapping.digest(mapping.parse(b'{"a": 1, "b": {"c": 2.5}}'))


@pytest.mark.parametrize(("raw", "reason"), [
    (b'{"resourceType": "Patient", "id": ', "illisible"),
    (b"[1, 2]", "illisible"),
    (b'{"resourceType": "Claim", "id": "x"}', "type de ressource inconnu"),
    (b'{"resourceType": "Patient", "id": "x", "name": "Garnier"}', "non conforme"),
    (b'{"resourceType": "Patient", "id": "x", "colour": "blue"}', "non conforme"),
])
def test_unreadable_unknown_and_invalid_lines_are_refused(raw, reason):
    with pytest.raises(Refused, match=reason):
        mapping.validate(mapping.parse(raw))


def test_the_documented_examples_are_valid_and_map():
    """docs/integration.md's worked examples are real lines: each one parses, is valid FHIR
    R4B and maps."""
    import re

    from infra.local import template

    text = (template.ROOT / "docs" / "integration.md").read_text("utf-8")
    lines = re.findall(r"```json\n(\{\"resourceType\".*\})\n```", text)
    kinds = set()
    for raw in lines:
        data = mapping.parse(raw.encode())
        kind = mapping.validate(data)
        mapping.version_of(data)
        if kind == "ExplanationOfBenefit":
            eob = mapping.explanation_of_benefit(data)
            assert eob.figures["mutual_cents"] == 900
        else:
            mapping.MAPPERS[kind](data)
        kinds.add(kind)
    assert kinds == set(mapping.TYPES)


def test_a_payment_for_care_outside_the_portals_rules_still_reads():
    eob = mapping.explanation_of_benefit(read(fs.eob(care_date="2015-03-02",
                                                     paid_on="2015-03-09")))
    item = mapping.claim_item(eob, beneficiary_name="Sophie Garnier", formula_id="equilibre")
    assert item["category"] and item["act_label"] == "Consultation"
    assert item["consumption"]["participation_cents"] == 200
