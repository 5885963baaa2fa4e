"""Round trip through the profile: what the demo seed computes for a member → FHIR lines
(domain.fhir.outbound) → the ingest (system.logic.ingest.apply_line) → the items the portal
reads: the same contract, beneficiaries, instalments and décomptes (figures, lines and their
French explanations), and the same FHIR when written out again."""

import json
import random

import pytest

from domain import repository
from domain.fhir import outbound
from domain.fhir.profile import ext
from domain.membership import member_context
from domain.reimbursement import claims_between
from infra.local import seed, seed_fhir
from shared import clock
from tests.helpers import reset_caches

MEMBER = "2099000017"  # a member of her own: Fatima's family, under another number


@pytest.fixture(scope="module")
def family():
    today = clock.today()
    rng = random.Random(seed.SEED)
    member = seed.demo_members(today)[0]
    member.member_id, member.email = MEMBER, "famille.lambert@example.fr"
    return member, seed.member_file(member, today, rng)


@pytest.fixture(scope="module")
def applied(api, family):
    from system.logic.ingest import apply_line

    member, file = family
    lines = seed_fhir.ndjson(seed_fhir.member_resources(member, file)).splitlines()
    outcomes = [apply_line(line, number) for number, line in enumerate(lines, start=1)]
    reset_caches()
    return lines, outcomes


def test_every_line_is_applied(applied):
    _, outcomes = applied
    assert [(o.status, o.reason) for o in outcomes if o.status != "applied"] == []


def test_her_file_reads_as_the_seed_made_it(api, family, applied):
    _, file = family
    ctx = member_context(MEMBER)
    expected = file.profile
    assert (ctx.profile.first_name, ctx.profile.last_name, ctx.profile.email,
            ctx.profile.address, ctx.profile.phone) == (
        expected.first_name, expected.last_name, expected.email, expected.address,
        expected.phone)
    assert list(ctx.contracts) == file.contracts
    assert list(ctx.beneficiaries.values()) == file.beneficiaries
    noemie = {i["id"]: i.get("noemie") for i in repository.member_file(MEMBER, "FILE#BENEF#")}
    assert {k: (v or {}).get("active") for k, v in noemie.items()} == {
        k: v["active"] for k, v in file.noemie.items()}


def test_her_reimbursements_read_as_the_engine_computed_them(api, family, applied):
    _, file = family
    stored = {c.id: c for c in claims_between(f"MEMBER#{MEMBER}",
                                              min(c.care_date for c in file.claims),
                                              clock.today())}
    assert set(stored) == {c.id for c in file.claims}
    shown = ("care_date", "beneficiary_id", "beneficiary_name", "act_code", "act_label",
             "category", "category_label", "quantity", "practitioner", "care_pathway",
             "real_cost_cents", "base_cents", "social_security_cents", "deductibles_cents",
             "mutual_cents", "out_of_pocket_cents", "ticket_moderateur_cents", "lines",
             "situations", "status", "payment_date", "bank_account_masked")
    for claim in file.claims:
        got = stored[claim.id]
        assert {k: getattr(got, k) for k in shown} == {k: getattr(claim, k) for k in shown}
        for key in ("participation_cents", "franchise_cents", "act_code", "care_date"):
            assert got.consumption.get(key) == claim.consumption.get(key), (claim.id, key)


def test_her_instalments_read_as_called_and_paid(api, family, applied):
    _, file = family
    stored = {i["period"]: i for i in repository.member_file(MEMBER, "CONTRIB#")}
    fields = ("period", "due_date", "amount_cents", "paid_on")
    assert {p: {k: i.get(k) for k in fields} for p, i in stored.items()} == {
        i["period"]: {k: i.get(k) for k in fields} for i in file.contributions}


def test_written_out_again_it_is_the_same_fhir(api, family, applied):
    lines, _ = applied
    sent = {(r["resourceType"], r["id"]): r for r in map(json.loads, lines)}
    for resource in sent.values():  # an instruction to the ingest, not her data
        if "extension" in resource:
            resource["extension"] = [e for e in resource["extension"]
                                     if e["url"] != ext("notice")]
    again = outbound.member_bundle(MEMBER)
    back = {(e["resource"]["resourceType"], e["resource"]["id"]):
            json.loads(outbound.dumps(e["resource"])) for e in again["entry"]}
    assert back.keys() == sent.keys()
    for key, resource in sent.items():
        assert back[key] == resource, key


def test_a_trop_percu_reads_back_as_the_management_system_sent_it(api, family, applied):
    """Her data export carries her trop-perçus in the profile they came in; one she paid by
    card in the portal reads as balanced on that day, before the management system says so."""
    from dataclasses import replace

    from domain.overpayments import key
    from infra.local import seed_overpayments
    from shared.repository import table
    from system.logic.ingest import apply_line

    member, file = family
    as_demo = replace(member, email=seed_overpayments.DEMO_EMAIL)
    [sent] = seed_overpayments.resources(as_demo, file, clock.today())
    assert apply_line(json.dumps(sent), 1).status == "applied"
    try:
        back = {e["resource"]["id"]: json.loads(outbound.dumps(e["resource"]))
                for e in outbound.member_bundle(MEMBER)["entry"]
                if e["resource"]["resourceType"] == "Invoice"}
        assert back[sent["id"]] == sent

        table().update_item(Key=key(MEMBER, sent["id"]), UpdateExpression="SET paid_on = :d",
                            ExpressionAttributeValues={":d": "2026-12-07"})
        paid = next(e["resource"] for e in outbound.member_bundle(MEMBER)["entry"]
                    if e["resource"]["id"] == sent["id"])
        assert paid["status"] == "balanced"
        assert {"url": ext("paid-on"), "valueDate": "2026-12-07"} in paid["extension"]
    finally:  # the other tests read her file as the seed made it
        table().delete_item(Key=key(MEMBER, sent["id"]))


def test_the_same_lines_again_change_nothing(api, applied):
    from system.logic.ingest import apply_line

    lines, _ = applied
    again = [apply_line(line, number) for number, line in enumerate(lines[:5], start=1)]
    assert {o.status for o in again} == {"unchanged"}


def test_a_seed_file_with_a_bad_line_stops_the_start_naming_the_file_and_the_line(api):
    import boto3

    from infra.local.bootstrap import REGION

    bad = seed_fhir.ndjson([{"resourceType": "Basic", "id": "x"}])
    with pytest.raises(seed_fhir.InboxLoadFailed, match=r"inbox/bad\.ndjson: 1 line\(s\) "
                                                        r"rejected \(line 1: "):
        seed_fhir.load_through_inbox(boto3.session.Session(region_name=REGION),
                                     api.resources.names, None, {"bad": bad},
                                     wait_seconds=20)
