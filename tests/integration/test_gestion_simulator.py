"""The local management system (infra/local/gestion.py): it consumes the portal's events from
its queue, pays accepted reimbursement requests by dropping an ExplanationOfBenefit in the
inbox a few seconds later, and lists what went each way; nothing it receives stops it."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from decimal import Decimal
from types import SimpleNamespace

import boto3
import pytest
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit

from domain.fhir import profile
from infra.local import bootstrap, gestion
from shared import clock

DELAY = 0.5
WAIT = gestion.WAIT_SECONDS + 1.5  # a poll and what follows it
PAY = {"request_id": "R20261201T101500-ab12cd34", "reference": "DEM-2026-0042",
       "claim_id": "C20261128-ab12cd34", "beneficiary_id": "B02", "care_date": "2026-11-28",
       "act_code": "G", "quantity": 1, "price_cents": 3000, "mutual_cents_estimated": 930,
       "practitioner": {"sector": 1, "optam": True}}


def envelope(detail_type: str, detail: dict, member_id: str = "2024001871",
             event_id: str = "e-1") -> str:
    event = {"id": event_id, "source": "espace-adherent.portal", "detail_type": detail_type,
             "schema_version": 1, "occurred_at": "2026-12-01T10:15:00+01:00",
             "member_id": member_id, "detail": detail}
    return json.dumps({"version": "0", "id": f"eb-{event_id}", "detail-type": detail_type,
                       "source": "espace-adherent.portal", "time": "2026-12-01T09:15:00Z",
                       "detail": event})


@pytest.fixture(scope="module")
def moto_url():
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    server.stop()


@pytest.fixture()
def sim(moto_url, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    session = boto3.session.Session(region_name=bootstrap.REGION)
    sqs = session.client("sqs", endpoint_url=moto_url)
    s3 = session.client("s3", endpoint_url=moto_url)
    suffix = str(time.monotonic_ns())
    queue = sqs.create_queue(QueueName=f"GestionQueue-{suffix}")["QueueUrl"]
    bucket = f"inboxbucket-{suffix}"
    s3.create_bucket(Bucket=bucket,
                     CreateBucketConfiguration={"LocationConstraint": bootstrap.REGION})
    simulator = gestion.Simulator(sqs, s3, queue, bucket, brand="Mutuelle Test",
                                  delay=DELAY).start()
    simulator.test = SimpleNamespace(sqs=sqs, s3=s3, queue=queue, bucket=bucket)
    yield simulator
    simulator.stop()


def inbox(sim) -> list[str]:
    listed = sim.test.s3.list_objects_v2(Bucket=sim.test.bucket, Prefix="inbox/")
    return [o["Key"] for o in listed.get("Contents", [])]


def wait_for(predicate, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("not in time")


def read(sim, key: str) -> list[dict]:
    body = sim.test.s3.get_object(Bucket=sim.test.bucket, Key=key)["Body"].read()
    return [json.loads(line, parse_float=Decimal) for line in body.splitlines() if line]


def test_an_accepted_request_is_paid_by_a_file_in_the_inbox_after_the_delay(sim):
    sent = time.monotonic()
    sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
        "ReimbursementPaymentRequested", PAY))
    keys = wait_for(lambda: inbox(sim))
    assert time.monotonic() - sent >= DELAY
    assert len(keys) == 1 and keys[0].startswith("inbox/gestion-")
    assert keys[0].endswith(".ndjson")
    [line] = read(sim, keys[0])
    eob = ExplanationOfBenefit.model_validate(line)  # valid FHIR R4B
    assert eob.id == PAY["claim_id"] and eob.outcome == "complete"
    assert eob.claim.identifier.system == profile.PORTAL_REQUEST
    assert eob.claim.identifier.value == PAY["request_id"]
    assert eob.patient.reference == "Patient/2024001871-B02"
    assert eob.insurance[0].coverage.reference == "Coverage/CT1-2024001871-B02"
    assert eob.payment.date == clock.today()
    assert line["payment"]["amount"] == {"value": Decimal("9.3"), "currency": "EUR"}
    figures = {(a["category"]["coding"][0]["system"], a["category"]["coding"][0]["code"]):
               a["amount"]["value"] for a in line["item"][0]["adjudication"]}
    assert figures[profile.FIGURES["real_cost_cents"]] == Decimal("30")
    assert figures[profile.FIGURES["mutual_cents"]] == Decimal("9.3")
    # The figures add up: price = Sécurité sociale part + mutuelle part + left to pay.
    assert figures[profile.FIGURES["real_cost_cents"]] == (
        figures[profile.FIGURES["social_security_cents"]]
        + figures[profile.FIGURES["mutual_cents"]]
        + figures[profile.FIGURES["out_of_pocket_cents"]])
    assert line["item"][0]["productOrService"]["coding"][0]["code"] == "G"


def test_the_portals_own_split_is_paid_when_the_claim_is_known(sim):
    lines = [{"key": "social_security", "label": "Part Sécurité sociale", "amount_cents": 1750,
              "explanation": "70 % de la base de 30,00 €, moins 2,00 € de participation."},
             {"key": "mutual", "label": "Part mutuelle", "amount_cents": 730,
              "explanation": "Le ticket modérateur."}]
    claim = {"real_cost_cents": 3000, "base_cents": 3000, "social_security_cents": 1900,
             "deductibles_cents": 200, "mutual_cents": 730, "out_of_pocket_cents": 370,
             "ticket_moderateur_cents": 900, "lines": lines,
             "bank_account_masked": "FR14 •••• •••• •••• •••• •••6 06",
             "practitioner": {"name": "Dr Claire Dubois"}}
    seen = []
    sim.claim_lookup = lambda member, claim_id, care_date: (
        seen.append((member, claim_id, care_date)) or claim)
    sim.contract_lookup = lambda member: "CT7"
    sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
        "ReimbursementPaymentRequested", PAY))
    [key] = wait_for(lambda: inbox(sim))
    [line] = read(sim, key)
    ExplanationOfBenefit.model_validate(line)
    assert seen == [("2024001871", PAY["claim_id"], PAY["care_date"])]
    assert line["payment"]["amount"]["value"] == Decimal("7.3")
    assert line["insurance"][0]["coverage"]["reference"] == "Coverage/CT7-2024001871-B02"
    assert line["provider"]["display"] == "Dr Claire Dubois"
    ss = next(a for a in line["item"][0]["adjudication"]
              if a["category"]["coding"][0]["code"] == "priorpayerpaid")
    assert ss["amount"]["value"] == Decimal("19")
    assert ss["reason"]["text"].startswith("70 % de la base")
    assert ss["extension"][0]["valueString"] == "Part Sécurité sociale"


def test_the_exchanges_list_both_ways_newest_first_with_the_ingests_report(sim):
    sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
        "BeneficiaryAdded", {"request_id": "R1", "beneficiary_id": "B04", "first_name": "Léa",
                             "last_name": "Lambert", "birth_date": "2026-10-01",
                             "relationship": "child"}, event_id="e-2"))
    sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
        "ReimbursementPaymentRequested", PAY, event_id="e-3"))
    [key] = wait_for(lambda: inbox(sim))
    name = key.removeprefix("inbox/").removesuffix(".ndjson")
    sim.test.s3.put_object(Bucket=sim.test.bucket, Key=f"reports/{name}.report.json",
                           Body=json.dumps({"file": key, "lines": 1, "applied": 1,
                                            "unchanged": 0, "outdated": 0, "pending": 0,
                                            "rejected": []}))
    wait_for(lambda: sim.exchanges()[0].get("report"))
    listed = sim.exchanges()
    assert [e["direction"] for e in listed] == ["from_gestion", "to_gestion", "to_gestion"]
    assert listed[0]["file"] == key and listed[0]["status"] == "applied"
    assert listed[0]["member_id"] == "2024001871" and "9,30 €" in listed[0]["summary"]
    assert listed[2]["kind"] == "BeneficiaryAdded" and "Léa Lambert" in listed[2]["summary"]
    assert [e["at"] for e in listed] == sorted((e["at"] for e in listed), reverse=True)
    html = gestion.page("Mutuelle Test", listed)
    assert "Portail → gestion" in html and "Gestion → portail" in html
    assert "1 intégrée(s)" in html and "Léa Lambert" in html


def test_bad_events_are_recorded_and_never_stop_the_simulator(sim):
    for body in ("not json {", json.dumps([1, 2]), json.dumps({"detail-type": "X"}),
                 envelope("SomethingNew", {"a": 1}, event_id="e-4"),
                 envelope("ReimbursementPaymentRequested", {"claim_id": "C1"}, event_id="e-5"),
                 envelope("ReimbursementPaymentRequested", {**PAY, "act_code": "NOPE",
                                                            "claim_id": "C20261128-00000000"},
                          event_id="e-6")):
        sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=body)
    sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
        "ReimbursementPaymentRequested", PAY, event_id="e-7"))
    # The good one is paid all the same, once, after the bad ones.
    keys = wait_for(lambda: inbox(sim))
    wait_for(lambda: len(sim.exchanges()) >= 9)
    time.sleep(DELAY * 2)
    assert len(inbox(sim)) == 1
    assert read(sim, keys[0])[0]["id"] == PAY["claim_id"]
    listed = sim.exchanges()
    summaries = [e["summary"] for e in listed]
    assert any("pas du JSON" in s for s in summaries)
    assert sum("Enveloppe EventBridge incomplète" in s for s in summaries) == 2
    assert any("inconnu «\u00a0SomethingNew\u00a0»" in s for s in summaries)
    assert any("incomplète (request_id" in s for s in summaries)
    assert any("impossible" in s for s in summaries)  # an act the mutuelle does not know
    assert sum(e["status"] == "rejected" for e in listed) == 5
    assert sim._thread.is_alive()
    attributes = sim.test.sqs.get_queue_attributes(
        QueueUrl=sim.test.queue, AttributeNames=["ApproximateNumberOfMessages",
                                                 "ApproximateNumberOfMessagesNotVisible"])
    assert set(attributes["Attributes"].values()) == {"0"}  # every message consumed


def test_an_event_delivered_twice_is_paid_once(sim):
    for _ in range(2):
        sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
            "ReimbursementPaymentRequested", PAY))
    wait_for(lambda: inbox(sim))
    wait_for(lambda: len(sim.exchanges()) >= 3)
    time.sleep(DELAY * 2)
    assert len(inbox(sim)) == 1
    assert any(e["status"] == "duplicate" for e in sim.exchanges())


def test_any_file_can_be_dropped_in_the_inbox(sim):
    coverage = {"resourceType": "Coverage", "id": "CT1-2023004412-B01",
                "meta": {"versionId": "9"}, "status": "cancelled",
                "period": {"start": "2021-01-01", "end": "2026-12-31"}}
    key = sim.drop([coverage, "not a resource"], name="fin-de-contrat",
                   member_id="2023004412", summary="Fin du contrat de Paul")
    assert key == "inbox/fin-de-contrat.ndjson"
    body = sim.test.s3.get_object(Bucket=sim.test.bucket, Key=key)["Body"].read()
    assert body.splitlines() == [json.dumps(coverage, separators=(",", ":")).encode(),
                                 b"not a resource"]
    assert sim.exchanges()[0]["summary"] == "Fin du contrat de Paul"


def test_the_local_stack_serves_the_page_and_its_json(sim):
    from infra.local import server

    class Handler(server._RequestHandler):
        stack = SimpleNamespace(gestion=sim)

    sim.receive(envelope("AddressChanged", {"address": {"city": "Lyon"}}))
    httpd = server._Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/local/echanges.json") as answer:
            items = json.load(answer)["items"]
        with urllib.request.urlopen(base + "/local/echanges/") as answer:
            html = answer.read().decode()
            assert answer.headers["Content-Security-Policy"]
            assert answer.headers["Cache-Control"] == "no-store"
    finally:
        httpd.shutdown()
    assert items[0]["kind"] == "AddressChanged" and items[0]["summary"] == "Adresse modifiée"
    assert '<html lang="fr">' in html and "<h1>Échanges avec la gestion</h1>" in html
    assert "1 échange, du plus récent au plus ancien." in html


def test_on_the_local_stack_it_pays_with_the_split_the_portal_stored(sim, moto_url):
    """`gestion.start(stack)`: the stack's queue, inbox and table; the reimbursement the
    advisor's acceptance stored gives the split and the contract."""
    session = boto3.session.Session(region_name=bootstrap.REGION)
    ddb = session.client("dynamodb", endpoint_url=moto_url)
    table = f"Table-{time.monotonic_ns()}"
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"}
                                           for k in ("pk", "sk")],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}])
    pk = {"S": "MEMBER#2024001871"}
    ddb.put_item(TableName=table, Item={"pk": pk, "sk": {"S": "FILE#CONTRACT#CT2"}})
    figures = {"real_cost_cents": 3000, "base_cents": 3000, "social_security_cents": 1900,
               "deductibles_cents": 200, "mutual_cents": 730, "out_of_pocket_cents": 370,
               "ticket_moderateur_cents": 900}
    ddb.put_item(TableName=table, Item={
        "pk": pk, "sk": {"S": f"CLAIM#{PAY['care_date']}#{PAY['claim_id']}"},
        **{k: {"N": str(v)} for k, v in figures.items()},
        "lines": {"L": [{"M": {"key": {"S": "mutual"}, "label": {"S": "Part mutuelle"},
                               "amount_cents": {"N": "730"},
                               "explanation": {"S": "Le ticket modérateur."}}}]}})
    sim.stop()
    stack = SimpleNamespace(moto_url=moto_url, resources=SimpleNamespace(names={
        "GestionQueue": sim.test.queue, "InboxBucket": sim.test.bucket, "Table": table}))
    started = gestion.start(stack)
    try:
        started.delay = DELAY
        sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
            "ReimbursementPaymentRequested", PAY))
        [key] = wait_for(lambda: inbox(sim))
    finally:
        started.stop()
    [line] = read(sim, key)
    assert line["payment"]["amount"]["value"] == Decimal("7.3")
    assert line["insurance"][0]["coverage"]["reference"] == "Coverage/CT2-2024001871-B02"
    benefit = next(a for a in line["item"][0]["adjudication"]
                   if a["category"]["coding"][0]["code"] == "benefit")
    assert benefit["reason"]["text"] == "Le ticket modérateur."


def test_a_stack_without_queue_or_inbox_leaves_the_simulator_idle(moto_url):
    stack = SimpleNamespace(moto_url=moto_url, resources=SimpleNamespace(names={}))
    idle = gestion.start(stack)
    assert idle.exchanges() == [] and idle._thread is None
    idle.stop()


def test_files_others_put_in_the_inbox_are_listed_with_their_report(sim):
    sim.test.s3.put_object(Bucket=sim.test.bucket, Key="inbox/demo-members.ndjson",
                           Body=b'{"resourceType":"Patient"}\n')
    sim.test.s3.put_object(Bucket=sim.test.bucket, Key="reports/demo-members.report.json",
                           Body=json.dumps({"lines": 1, "applied": 0, "rejected": [
                               {"line": 1, "reason": "identifiant manquant"}]}))
    [found] = wait_for(lambda: [e for e in sim.exchanges() if e.get("report")])
    assert found["file"] == "inbox/demo-members.ndjson"
    assert found["direction"] == "from_gestion" and found["status"] == "rejected"
    key = sim.drop([{"resourceType": "Invoice"}], name="later")
    time.sleep(WAIT)
    assert [e["file"] for e in sim.exchanges() if e.get("file")].count(key) == 1
    assert "Ligne 1\u00a0: identifiant manquant" in gestion.page("M", sim.exchanges())


def test_the_local_stack_lists_an_inbox_file_with_the_ingests_report(local_stack):
    """The stack's simulator, on its inbox: a file put there is applied by the ingest, and the
    page lists it with its report."""
    from tests import fhir_samples as fs

    s3 = local_stack.client("s3")
    member = "2025009311"
    s3.put_object(Bucket=local_stack.resources.names["InboxBucket"],
                  Key="inbox/simulateur-01.ndjson",
                  Body=fs.ndjson(fs.patient(member, email="s.i@example.fr"), fs.coverage(member)))

    def listed():
        with urllib.request.urlopen(local_stack.base_url + "/local/echanges.json") as answer:
            return [e for e in json.load(answer)["items"]
                    if e.get("file") == "inbox/simulateur-01.ndjson" and e.get("report")]

    [found] = wait_for(listed, seconds=60)
    assert found["direction"] == "from_gestion" and found["status"] == "applied"
    assert (found["report"]["lines"], found["report"]["applied"]) == (2, 2)
    with urllib.request.urlopen(local_stack.base_url + "/local/echanges/") as answer:
        assert "simulateur-01.ndjson" in answer.read().decode()


OVERPAID = {"id": "TP-2026-0001", "type": "overpayment", "reference": "TP-2026-0001",
            "beneficiary_id": "B02", "claim_id": "C20261128-ab12cd34",
            "care_date": "2026-11-28", "act_code": "G", "act_label": "Consultation",
            "amount_cents": 12800, "reason": "La Sécurité sociale a revu sa part.",
            "issued_on": "2026-12-01", "due_date": "2027-01-15", "gestion_status": "issued",
            "src_invoice": 1, "paid_on": "2026-12-07", "payment_id": "P1"}
REPAID = {"overpayment_id": "TP-2026-0001", "payment_id": "P1", "amount_cents": 12800,
          "paid_at": "2026-12-07T00:20:00+01:00"}


def test_a_trop_percu_paid_by_card_is_balanced_once_one_version_up(sim):
    """What the portal's ingest reads back: the same trop-perçu, balanced on the day she paid
    (Paris), a version above the one the portal holds; the event twice, one file."""
    from fhir.resources.R4B.invoice import Invoice

    from system.logic.mapping import overpayment

    seen = []
    sim.overpayment_lookup = lambda member, oid: seen.append((member, oid)) or OVERPAID
    for event_id in ("e-1", "e-2"):
        sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
            "OverpaymentRepaid", REPAID, event_id=event_id))
    [key] = wait_for(lambda: inbox(sim))
    wait_for(lambda: any(e["status"] == "duplicate" for e in sim.exchanges()))
    time.sleep(DELAY + 0.5)
    assert inbox(sim) == [key] and seen == [("2024001871", "TP-2026-0001")]
    [line] = read(sim, key)
    Invoice.model_validate(line)
    assert line["meta"]["versionId"] == "2"
    fields = overpayment(json.loads(json.dumps(line, default=float))).writes[0].fields
    assert (fields["gestion_status"], fields["balanced_on"]) == ("balanced", "2026-12-07")
    assert {k: fields[k] for k in ("amount_cents", "claim_id", "due_date", "reason")} == {
        k: OVERPAID[k] for k in ("amount_cents", "claim_id", "due_date", "reason")}
    summaries = [e["summary"] for e in sim.exchanges()]
    assert "Trop-perçu TP-2026-0001 soldé (128,00 €, payé le 07/12/2026)" in summaries


def test_a_trop_percu_the_portal_does_not_hold_is_an_error_on_the_page(sim):
    sim.overpayment_lookup = lambda member, oid: None
    sim.test.sqs.send_message(QueueUrl=sim.test.queue, MessageBody=envelope(
        "OverpaymentRepaid", REPAID))
    error = wait_for(lambda: [e for e in sim.exchanges() if e["status"] == "error"])
    assert "TP-2026-0001 non soldé" in error[0]["summary"]
    assert inbox(sim) == []
