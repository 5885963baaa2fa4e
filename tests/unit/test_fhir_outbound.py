"""The portal's data as FHIR (domain.fhir.outbound) and the demo seed's FHIR files: every
resource is valid R4B, carries the profile's names, and says what the member sees."""

import json
import random
from decimal import Decimal

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from domain.fhir import outbound
from domain.fhir import profile as p
from domain.reimbursement import claim_to_item
from infra.local import seed, seed_fhir
from shared import clock

BRAND = "Mutuelle Clairval"


@pytest.fixture(scope="module")
def demo():
    today = clock.today()
    rng = random.Random(seed.SEED)
    return [(m, seed.member_file(m, today, rng)) for m in seed.demo_members(today)]


@pytest.fixture(scope="module")
def fatima(demo):
    member, file = demo[0]
    return member, file, seed_fhir.member_resources(member, file, brand=BRAND)


def of_type(resources, kind):
    return [r for r in resources if r["resourceType"] == kind]


def ext(resource, name):
    return [e for e in resource.get("extension", []) if e["url"] == p.ext(name)]


def test_every_line_of_the_seed_files_is_a_valid_r4b_resource(demo):
    for member, file in demo:
        body = seed_fhir.ndjson(seed_fhir.member_resources(member, file, brand=BRAND))
        lines = body.decode().splitlines()
        assert len(lines) == len(file.beneficiaries) * 2 + len(file.claims) + len(
            file.contributions)
        for line in lines:
            raw = json.loads(line)
            model = get_fhir_model_class(raw["resourceType"]).model_validate_json(line)
            assert model.id == raw["id"] and raw["meta"]["versionId"] == "1"


def test_her_file_starts_with_the_subscriber_who_creates_it(fatima):
    member, file, resources = fatima
    first = resources[0]
    assert first["resourceType"] == "Patient" and first["id"] == "2024001871-B01"
    assert {"system": p.MEMBER_NUMBER, "value": "2024001871"} in first["identifier"]
    assert first["telecom"][0] == {"system": "email", "value": "fatima.l@example.fr"}
    assert first["address"][0]["postalCode"] == file.profile.address.postcode
    karim = next(r for r in of_type(resources, "Patient") if r["id"] == "2024001871-B02")
    assert "telecom" not in karim and karim["name"][0] == {"family": "Lambert",
                                                           "given": ["Karim"]}
    assert {"system": p.NIR, "value": file.beneficiaries[1].nir} in karim["identifier"]


def test_each_person_s_coverage_carries_her_situation_and_the_contract_its_own(fatima):
    _, file, resources = fatima
    coverages = {c["beneficiary"]["reference"]: c for c in of_type(resources, "Coverage")}
    subscriber = coverages["Patient/2024001871-B01"]
    assert subscriber["id"] == "CT1-2024001871-B01"
    assert subscriber["relationship"]["coding"][0]["code"] == "self"
    assert subscriber["identifier"] == [{"system": p.CONTRACT_NUMBER,
                                         "value": "CT-2024001871-01"}]
    assert [c["value"] for c in subscriber["class"]] == ["equilibre", "employer"]
    assert subscriber["class"][1]["name"] == "Transports Lumière SA"
    assert ext(subscriber, "contribution-account")[0]["extension"][0]["valueString"] == \
        file.contracts[0].contribution_iban
    assert ext(subscriber, "pregnancy") and subscriber["status"] == "active"
    karim = coverages["Patient/2024001871-B02"]
    assert karim["relationship"]["coding"][0]["code"] == "spouse"
    assert karim["dependent"] == "02" and karim["subscriber"]["reference"] == \
        "Patient/2024001871-B01"
    ald = ext(karim, "ald")[0]["extension"]
    assert ald[0] == {"url": "label", "valueString": "Diabète de type 2"}
    assert not ext(karim, "contribution-account")
    ines = coverages["Patient/2024001871-B03"]
    assert ext(ines, "noemie")[0]["extension"] == [{"url": "active", "valueBoolean": False}]


def test_a_reimbursement_reads_as_her_decompte_to_the_cent(fatima):
    _, file, resources = fatima
    eobs = {e["id"]: e for e in of_type(resources, "ExplanationOfBenefit")}
    for claim in file.claims:
        eob = eobs[claim.id]
        item = eob["item"][0]
        assert item["productOrService"]["coding"][0]["code"] == claim.act_code
        by_code = {a["category"]["coding"][0]["code"]: a for a in item["adjudication"]}
        for figure, (system, code) in p.FIGURES.items():
            adjudication = by_code[code]
            assert adjudication["category"]["coding"][0]["system"] == system
            assert adjudication["amount"]["value"] * 100 == getattr(claim, figure)
            assert isinstance(adjudication["amount"]["value"], Decimal)
        for line in claim.lines:
            adjudication = by_code[p.FIGURES[f"{line.key}_cents"][1]]
            assert adjudication["reason"]["text"] == line.explanation
            assert ext(adjudication, "line-label")[0]["valueString"] == line.label
        assert ext(eob, "notice")[0]["valueBoolean"] is False
        assert eob["outcome"] == {"paid": "complete", "processing": "queued"}[claim.status]
        if claim.status == "paid":
            assert eob["payment"]["date"] == claim.payment_date.isoformat()
            assert eob["payment"]["amount"]["value"] * 100 == claim.mutual_cents
        else:
            assert "payment" not in eob


def test_amounts_cross_json_as_exact_euros():
    assert outbound.money(1999)["value"] == Decimal("19.99")
    for cents in (1, 10, 99, 100, 2892, 34000, 9_999_999):
        text = outbound.dumps({"v": outbound.money(cents)["value"]})
        assert Decimal(str(json.loads(text, parse_float=Decimal)["v"])) * 100 == cents


def test_a_portal_request_paid_names_its_request(fatima):
    member, file, _ = fatima
    claim = file.claims[-1].model_copy(update={"request_id": "R20261201T101010-abcdef12"})
    eob = outbound.explanation_of_benefit(member.member_id, claim, contract_id="CT1",
                                          notice=True, brand=BRAND)
    assert eob["claim"]["identifier"] == {"system": p.PORTAL_REQUEST,
                                          "value": "R20261201T101010-abcdef12"}
    assert ext(eob, "notice")[0]["valueBoolean"] is True
    get_fhir_model_class("ExplanationOfBenefit").model_validate_json(outbound.dumps(eob))


def test_instalments_are_invoices_balanced_once_paid(fatima):
    _, file, resources = fatima
    invoices = {i["id"]: i for i in of_type(resources, "Invoice")}
    for item in file.contributions:
        invoice = invoices[f"2024001871-{item['period']}"]
        assert invoice["totalGross"]["value"] * 100 == item["amount_cents"]
        assert invoice["date"] == item["due_date"]
        assert invoice["status"] == ("balanced" if "paid_on" in item else "issued")
        assert bool(ext(invoice, "paid-on")) == ("paid_on" in item)
    assert any(i["status"] == "issued" for i in invoices.values())  # her late one


def test_her_bundle_from_stored_items_is_one_valid_collection(fatima):
    member, file, _ = fatima
    items = seed.file_items_of(member, file)
    items.append({**claim_to_item(f"MEMBER#{member.member_id}", file.claims[0]),
                  "src_explanationofbenefit": 3})
    items.append({"pk": "MEMBER#2024001871", "sk": "REQ#x", "type": "request"})
    bundle = outbound.bundle(outbound.resources_of(member.member_id, items, brand=BRAND))
    parsed = Bundle.model_validate_json(outbound.dumps(bundle))
    assert parsed.type == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 3 and kinds.count("Coverage") == 3
    assert kinds.count("ExplanationOfBenefit") == len(file.claims) + 1
    assert kinds.count("Invoice") == len(file.contributions)
    versions = [e["resource"]["meta"]["versionId"] for e in bundle["entry"]
                if e["resource"]["id"] == file.claims[0].id]
    assert "3" in versions
    eob = next(e["resource"] for e in bundle["entry"]
               if e["resource"]["resourceType"] == "ExplanationOfBenefit")
    assert not ext(eob, "notice")  # an instruction to the ingest, not her data
    for entry in bundle["entry"]:
        assert entry["fullUrl"].endswith(f"/{entry['resource']['resourceType']}/"
                                         f"{entry['resource']['id']}")
