"""The inbound path: what the management system sends (FHIR R4B resources, in inbox files or
one by one on the IAM route) becomes what the member sees, once, in order, whole, never lost."""

from __future__ import annotations

import json
import tracemalloc
from datetime import date

import boto3
import pytest
from botocore.exceptions import ClientError

from domain import membership
from tests import fhir_samples as fs
from tests.helpers import GESTION, aws_calls, reset_caches

FATIMA = "2024001871"


def items_of(member: str) -> dict[str, dict]:
    from shared import repository as table

    return {i["sk"]: i for i in table.query_all(partition=("pk", f"MEMBER#{member}"))}


def apply(resource: dict):
    from system.logic.ingest import apply_line

    return apply_line(fs.line(resource), 1)


def context(member: str, on: date | None = None):
    membership.forget()
    return membership.member_context(member, on)


def s3():
    return boto3.client("s3", region_name="eu-west-3")


def put_file(api, name: str, data: bytes) -> str:
    key = f"inbox/{name}.ndjson"
    s3().put_object(Bucket=api.resources.names["InboxBucket"], Key=key, Body=data)
    return key


def run_queue(api) -> int:
    """Hand the inbox queue's messages to the ingest function, as Lambda's event source does."""
    from infra.local import queues
    from infra.local.server import LambdaContext
    from system.ingest import lambda_handler

    source = next(s for s in queues.event_sources() if s.queue == "InboxQueue")
    sqs = boto3.client("sqs", region_name="eu-west-3")
    handled = 0
    while n := queues.deliver(sqs, api.resources.names["InboxQueue"], source, "eu-west-3",
                              lambda event: lambda_handler(event, LambdaContext(
                                  function_name="SystemIngestFunction", aws_request_id="r"))):
        handled += n
    return handled


def report(api, name: str) -> dict:
    body = s3().get_object(Bucket=api.resources.names["InboxBucket"],
                           Key=f"reports/{name}.report.json")["Body"].read()
    return json.loads(body)


@pytest.fixture(scope="module")
def world(api):
    reset_caches()
    return api


def test_a_new_member_arrives_whole_and_reads_as_the_portal_reads_its_own(world):
    assert apply(fs.patient()).status == "applied"
    assert apply(fs.patient(benef="B02", first="Léo", birth="2015-05-02")).status == "applied"
    assert apply(fs.coverage()).status == "applied"
    assert apply(fs.coverage(benef="B02", relationship="child", rank="02")).status == "applied"
    assert apply(fs.invoice(status="balanced", paid_on="2026-11-04")).status == "applied"
    ctx = context(fs.MEMBER, date(2026, 11, 30))
    assert (ctx.profile.first_name, ctx.profile.email) == ("Sophie", "sophie.g@example.fr")
    assert ctx.profile.address.city == "Lyon"
    assert ctx.contract.formula_id == "equilibre" and ctx.contract.end_date is None
    assert ctx.contract.contribution_iban == "FR7630006000011234567890189"
    leo = ctx.beneficiaries["B02"]
    assert (leo.first_name, leo.relationship, leo.rank) == ("Léo", "child", "02")
    assert leo.situation.ald[0].label == "Asthme sévère"
    stored = items_of(fs.MEMBER)
    assert stored["CONTRIB#2026-11"]["amount_cents"] == 14680
    assert stored["CONTRIB#2026-11"]["paid_on"] == "2026-11-04"
    assert stored["FILE#BENEF#B02"]["noemie"] == {"active": True, "since": "2025-02-01"}


def test_a_payment_shows_in_her_reimbursements_with_its_notice(world):
    outcome = apply(fs.eob(FATIMA, "B02", eob_id="GST-PAY-1", mutual="8.00",
                           care_date="2026-11-20"))
    assert outcome.status == "applied"
    stored = items_of(FATIMA)
    claim_sk = next(k for k in stored if k.startswith("CLAIM#2026-11-20#")
                    and stored[k].get("src_explanationofbenefit"))
    claim_id = stored[claim_sk]["id"]
    answer = world.get(f"/claims/{claim_id}")
    assert answer.status == 200, answer.body
    body = answer.body
    assert body["beneficiary_name"] == "Karim Lambert"
    assert body["status"] == "paid"
    assert body.get("mutual_cents", body.get("totals", {}).get("mutual_cents")) == 800
    notice = stored[f"NOTICE#{claim_id}"]
    assert notice["amount_cents"] == 800 and notice["beneficiary_first_name"] == "Karim"
    assert notice["gsi3pk"] == f"NOTICES#{int(FATIMA) % 16}"
    assert notice["gsi3sk"] == f"2026-11-24#{FATIMA}#{claim_id}"
    assert stored[claim_sk]["consumption"]["participation_cents"] == 200


def test_the_same_version_twice_changes_nothing(world):
    resource = fs.invoice(FATIMA, period="2031-10")
    assert apply(resource).status == "applied"
    before = items_of(FATIMA)
    assert apply(resource).status == "unchanged"
    assert items_of(FATIMA) == before


def test_an_older_version_after_a_newer_one_changes_nothing(world):
    assert apply(fs.invoice(FATIMA, "2031-09", version=3, amount="150.00")).status == "applied"
    assert apply(fs.invoice(FATIMA, "2031-09", version=2, amount="99.00")).status == "outdated"
    assert items_of(FATIMA)["CONTRIB#2031-09"]["amount_cents"] == 15000


def test_the_same_version_with_other_content_is_refused(world):
    assert apply(fs.invoice(FATIMA, "2031-08", amount="10.00")).status == "applied"
    outcome = apply(fs.invoice(FATIMA, "2031-08", amount="11.00"))
    assert (outcome.status, outcome.reason) == ("rejected", "même version, contenu différent")
    assert items_of(FATIMA)["CONTRIB#2031-08"]["amount_cents"] == 1000


def test_a_resource_for_an_unknown_member_waits_then_is_applied(world):
    member = "2025009002"
    assert apply(fs.eob(member, eob_id="GST-WAIT-1")).status == "pending"
    assert apply(fs.coverage(member)).status == "pending"
    assert apply(fs.invoice(member)).status == "pending"
    waiting = [k for k in items_of(member) if k.startswith("PENDING#")]
    assert len(waiting) == 3
    assert apply(fs.patient(member, email="lea.p@example.fr", first="Léa")).status == "applied"
    stored = items_of(member)
    assert not [k for k in stored if k.startswith("PENDING#")]
    assert "FILE#CONTRACT#CT1" in stored and "CONTRIB#2026-11" in stored
    assert any(k.startswith("CLAIM#2026-11-20#") for k in stored)
    assert context(member).beneficiaries["B01"].rank == "01"


def test_a_coverage_before_its_beneficiary_waits_for_her(world):
    member = "2025009006"
    apply(fs.patient(member, email="m.k@example.fr"))
    spouse = fs.coverage(member, "B03", relationship="spouse", rank="03")
    assert apply(spouse).status == "pending"
    assert "FILE#BENEF#B03" not in items_of(member)  # her file stays readable meanwhile
    assert list(context(member).beneficiaries) == ["B01"]
    assert apply(fs.patient(member, "B03", first="Marc", birth="1988-01-01")).status \
        == "applied"
    assert context(member).beneficiaries["B03"].relationship == "spouse"


def test_a_resource_is_applied_whole_or_not_at_all(world):
    """The subscriber's Coverage writes her beneficiary item and her contract in one
    transaction: when it fails, neither changed."""
    from shared.errors import ServiceUnavailable

    member = "2025009007"
    apply(fs.patient(member, email="w.h@example.fr"))
    apply(fs.coverage(member))
    before = items_of(member)

    def fail(service, operation, params):
        if operation == "TransactWriteItems":
            return ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}},
                               operation)
        return None

    with aws_calls(fail=fail), pytest.raises(ServiceUnavailable):
        apply(fs.coverage(member, version=2, formula="essentielle"))
    assert items_of(member) == before
    assert apply(fs.coverage(member, version=2, formula="essentielle")).status == "applied"
    after = items_of(member)
    assert after["FILE#CONTRACT#CT1"]["formula_id"] == "essentielle"
    assert after["FILE#BENEF#B01"]["src_coverage"] == 2


def test_a_terminated_coverage_sets_the_contract_end(world):
    member = "2025009003"
    apply(fs.patient(member, email="jean.r@example.fr", first="Jean"))
    apply(fs.coverage(member))
    assert apply(fs.coverage(member, version=2, end="2026-12-31")).status == "applied"
    assert context(member, date(2026, 12, 31)).contract.end_date == date(2026, 12, 31)
    assert context(member, date(2027, 1, 1)).contract is None


def test_a_paid_request_is_closed_with_its_email_in_the_outbox(world):
    from domain import requests as req
    from shared import repository as table
    from shared.ids import new_id

    request_id, created = new_id("R")
    request = req.RequestItem(
        id=request_id, reference=f"DR-2026-{request_id[-8:].upper()}", kind="reimbursement",
        member_id=FATIMA, created_at=created, updated_at=created,
        status="payment_requested", version=3, team="gestion", subject="Ostéopathe",
        beneficiary_id="B01", beneficiary_name="Fatima Lambert")
    table.put_item(req.to_item(request))
    outcome = apply(fs.eob(FATIMA, "B01", eob_id="GST-REQ-1", request_id=request_id))
    assert outcome.status == "applied"
    closed = req.get(FATIMA, request_id)
    assert (closed.status, closed.version) == ("processed", 4)
    assert closed.history[-1].action == "pay" and closed.history[-1].by_role == "system"
    mails = [i for k, i in items_of(FATIMA).items() if k.startswith("OUTBOX#")
             and i["channel"] == "email" and i["event"]["detail"]["reference"] ==
             request.reference]
    assert len(mails) == 1
    assert "acceptée" in mails[0]["event"]["detail"]["subject"]
    # The same payment again: nothing moves, no second email.
    assert apply(fs.eob(FATIMA, "B01", eob_id="GST-REQ-1", request_id=request_id)).status \
        == "unchanged"
    assert len([k for k in items_of(FATIMA) if k.startswith("OUTBOX#")]) == len(
        [k for k in items_of(FATIMA) if k.startswith("OUTBOX#")])


def test_seeded_history_is_not_a_new_payment(world):
    apply(fs.eob(FATIMA, "B03", eob_id="GST-OLD-1", notice=False, care_date="2026-01-10",
                 paid_on="2026-01-15"))
    assert not [k for k, i in items_of(FATIMA).items() if k.startswith("NOTICE#")
                and i["care_date"] == "2026-01-10"]


@pytest.mark.parametrize(("resource", "reason"), [
    (fs.eob(eob_id="BAD-1", mutual="9.00"), "montants incohérents"),
    (fs.eob(eob_id="BAD-2", real="30.001"), "montant au-delà du centime"),
    ({**fs.patient(), "birthDate": "14/02/1990"}, "non conforme"),
    ({"resourceType": "Claim", "id": "x"}, "type de ressource inconnu"),
    ({**fs.invoice(), "meta": {}}, "versionId"),
])
def test_bad_resources_are_refused_with_a_reason(world, resource, reason):
    outcome = apply(resource)
    assert outcome.status == "rejected" and reason in outcome.reason


def test_a_file_is_reported_line_by_line_and_the_rest_applied(world):
    member = "2025009004"
    good = [fs.patient(member, email="n.b@example.fr", first="Nadia"), fs.coverage(member),
            fs.invoice(member, "2026-11"), fs.eob(member, eob_id="F-1")]
    data = (fs.line(good[0]) + b"\n" + b"{not json\n" + fs.line(good[1]) + b"\n"
            + fs.line({"resourceType": "Basic", "id": "b"}) + b"\n"
            + fs.line(fs.eob(member, eob_id="F-BAD", oop="5.00")) + b"\n"
            + fs.line(good[2]) + b"\n" + fs.line(good[2]) + b"\n"
            + fs.line(good[3]) + b"\n" + fs.line(fs.invoice(member, "2026-12"))[:40])
    put_file(world, "gestion-20261124-01", data)
    assert run_queue(world) >= 1
    got = report(world, "gestion-20261124-01")
    assert got["lines"] == 9
    assert [r["line"] for r in got["rejected"]] == [2, 4, 5, 9]
    assert "illisible" in got["rejected"][0]["reason"]
    assert "inconnu" in got["rejected"][1]["reason"]
    assert "incohérents" in got["rejected"][2]["reason"]
    assert "illisible" in got["rejected"][3]["reason"]  # the file was cut in the middle
    assert (got["applied"], got["unchanged"]) == (4, 1)
    assert got["finished_at"]
    stored = items_of(member)
    assert "FILE#CONTRACT#CT1" in stored and "CONTRIB#2026-11" in stored
    assert "CONTRIB#2026-12" not in stored

    # The same file put again: a new report, nothing applied twice.
    before = items_of(member)
    put_file(world, "gestion-20261124-01", data)
    run_queue(world)
    again = report(world, "gestion-20261124-01")
    assert (again["applied"], again["unchanged"]) == (0, 5)
    assert items_of(member) == before


def test_a_long_file_goes_on_in_a_new_message(world, monkeypatch):
    from system.logic import ingest

    member = "2025009005"
    lines = [fs.patient(member, email="o.d@example.fr", first="Olga")] + [
        fs.invoice(member, f"2025-{m:02d}") for m in range(1, 13)]
    key = put_file(world, "long-01", fs.ndjson(*lines))
    calls = {"n": 0}

    def time_left():
        calls["n"] += 1
        return 1000 if calls["n"] % 5 == 0 else 600_000

    monkeypatch.setattr("system.ingest._time_left_ms", time_left)
    run_queue(world)
    got = report(world, "long-01")
    assert got["file"] == key and got["lines"] == 13 and got["applied"] == 13
    assert not got["rejected"]
    assert len([k for k in items_of(member) if k.startswith("CONTRIB#")]) == 12
    assert ingest.SAFETY_MS > 1000


class DiskS3:
    """S3's GetObject over a file on disk (ranged, streamed), as the real service serves it
    over the network: moto's in-process store hands out whole objects, which would hide what
    the ingest itself holds."""

    def __init__(self, path) -> None:
        self.path, self.written = path, {}

    def put_object(self, *, Key, Body, **_):  # noqa: N803
        self.written[Key] = Body

    def get_object(self, *, Bucket, Key, Range, **_):  # noqa: N803 - boto3's names
        from botocore.response import StreamingBody

        size = self.path.stat().st_size
        first, _, last = Range.removeprefix("bytes=").partition("-")
        first, last = int(first), min(int(last or size - 1), size - 1)
        if first >= size:
            raise ClientError({"Error": {"Code": "InvalidRange"}}, "GetObject")
        handle = self.path.open("rb")
        handle.seek(first)

        class Window:
            left = last - first + 1

            def read(self, n=-1):
                n = self.left if n is None or n < 0 else min(n, self.left)
                data = handle.read(n)
                self.left -= len(data)
                return data

            def close(self):
                handle.close()

        return {"Body": StreamingBody(Window(), last - first + 1),
                "ContentRange": f"bytes {first}-{last}/{size}"}


def test_a_large_file_is_streamed_in_bounded_memory(world, tmp_path, monkeypatch):
    from system.logic.ingest import ingest_object

    padding = "x" * 100_000
    path = tmp_path / "big.ndjson"
    with path.open("wb") as out:
        for i in range(600):
            out.write(fs.line({"resourceType": "Basic", "id": f"b{i}", "text": padding}) + b"\n")
        out.write(fs.line(fs.invoice(FATIMA, "2031-05")) + b"\n")
    apply(fs.invoice(FATIMA, "2031-04"))  # a warm container: its libraries are loaded
    monkeypatch.setattr("shared.repository.s3", lambda public=False: DiskS3(path))
    tracemalloc.start()
    try:
        got = ingest_object("inbox", "inbox/big.ndjson")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.lines == 601 and got.applied == 1
    assert len(got.rejected) + got.rejected_not_listed == 600
    # The file is 60 MB: one window of a ranged GET and one line at a time are held.
    assert path.stat().st_size > 60_000_000
    assert peak < 8 * 1024 * 1024, peak


def test_the_system_route_applies_one_resource(world):
    answer = world.post("/system/fhir", fs.invoice(FATIMA, "2031-07"), user=GESTION)
    assert answer.status == 200, answer.body
    assert answer.body["status"] == "applied"
    assert items_of(FATIMA)["CONTRIB#2031-07"]["amount_cents"] == 14680
    refused = world.post("/system/fhir", {**fs.invoice(FATIMA, "2031-07"), "status": "x"},
                         user=GESTION)
    assert refused.status == 422 and "refusée" in refused.body["message"]
    broken = world.post("/system/fhir", "{oops", user=GESTION)
    assert broken.status in (400, 422)


@pytest.mark.parametrize("user", ["fatima.l@example.fr", "conseiller@example.fr"])
def test_member_and_advisor_tokens_cannot_reach_the_system_route(world, user):
    answer = world.post("/system/fhir", fs.invoice(FATIMA, "2031-06"), user=user)
    assert answer.status == 403
    assert "CONTRIB#2031-06" not in items_of(FATIMA)


def test_a_beneficiary_and_an_instalment_sent_read_on_her_contract_pages(world):
    from shared import clock

    assert apply(fs.patient(FATIMA, "B04", first="Noé", last="Lambert",
                            birth="2026-09-01")).status == "applied"
    assert apply(fs.coverage(FATIMA, "B04", relationship="child", rank="04",
                             start="2021-01-01")).status == "applied"
    contract = world.get("/contract")
    assert contract.status == 200, contract.body
    names = [b.get("first_name") or b.get("name") for b in contract.body["beneficiaries"]]
    assert any("Noé" in (n or "") for n in names), contract.body["beneficiaries"]
    period = f"{clock.today().year}-12"
    assert apply(fs.invoice(FATIMA, period, version=9, amount="151.20")).status == "applied"
    instalments = world.get("/contract/contributions").body["instalments"]
    sent = next(i for i in instalments if i["id"] == period)
    assert sent["amount_cents"] == 15120


def test_the_ingest_makes_only_calls_its_policy_allows(world, monkeypatch):
    """moto checks no permission, AWS does: every call of a file's ingest (a long one, going
    on in a new message) is one SystemIngestFunction's policy in template.yaml allows."""
    from tests.integration.test_call_budget import iam_actions, policy_actions

    member = "2025009301"
    put_file(world, "policy-01", fs.ndjson(
        fs.eob(member, eob_id="P-1"), fs.patient(member, email="p.p@example.fr"),
        fs.coverage(member), fs.invoice(member), fs.eob(member, eob_id="P-2")))
    ticks = iter(range(1000))
    monkeypatch.setattr("system.ingest._time_left_ms",
                        lambda: 1000 if next(ticks) == 2 else 600_000)
    with aws_calls() as calls:
        run_queue(world)
    got = report(world, "policy-01")
    assert (got["applied"], got["pending"]) == (4, 1)  # the first line waited for her Patient
    allowed = policy_actions("SystemIngestFunction")
    used = {a for service, op, params in calls for a in iam_actions(service, op, params)}
    assert used - allowed == set(), used - allowed
    assert {"dynamodb:BatchGetItem", "s3:GetObject", "s3:PutObject", "sqs:SendMessage"} <= used


def test_a_long_file_of_bad_lines_keeps_its_report_across_messages(world, monkeypatch):
    """1,500 refused lines, the file going on in new messages twice: the report lists the
    first thousand, counts the rest, and its progress fits in a DynamoDB item meanwhile."""
    bad = [{"resourceType": "Patient", "id": f"p{i}", "meta": {"versionId": "1"},
            "name": "pas une liste " + "x" * 100} for i in range(1500)]
    put_file(world, "bad-01", fs.ndjson(*bad))
    ticks = iter(range(10_000))
    monkeypatch.setattr("system.ingest._time_left_ms",
                        lambda: 1000 if next(ticks) in (600, 1300) else 600_000)
    assert run_queue(world) == 3
    got = report(world, "bad-01")
    assert got["lines"] == 1500
    assert len(got["rejected"]) == 1000 and got["rejected_not_listed"] == 500
    assert got["rejected"][-1]["line"] == 1000 and "non conforme" in got["rejected"][0]["reason"]


def test_each_resource_costs_two_dynamodb_calls_at_most(world):
    member = "2025009401"
    resources = [fs.patient(member, email="d.c@example.fr"), fs.patient(member, "B02"),
                 fs.coverage(member), fs.coverage(member, "B02", relationship="child",
                                                  rank="02"),
                 fs.invoice(member), fs.eob(member, eob_id="CALLS-1"),
                 fs.eob(member, "B02", eob_id="CALLS-2")]
    for resource in resources:
        with aws_calls() as calls:
            assert apply(resource).status == "applied"
        dynamodb = [op for service, op, _ in calls if service == "dynamodb"]
        assert len(dynamodb) <= 2, (resource["resourceType"], dynamodb)
        assert "Scan" not in dynamodb
