"""« Résilier mon contrat » (issue 21): what she may terminate and when, the request filed
once (advisors, management system, acknowledgement letter and email), every bad input
refused with nothing changed, a collective contract explained instead of a failing form, and
the management system's end of cover closing her space as the ended-cover rules say.

Each test that terminates uses a member of its own (a termination is a one-shot)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import boto3
import pytest
import time_machine
from boto3.dynamodb.conditions import Key

from shared import clock
from shared.dates import PARIS, add_months, fr_date_long
from tests.helpers import GESTION, idempotency, sample_pdf, sent_mail
from tests.integration.account_helpers import new_member

pytestmark = pytest.mark.dated  # dates from today: the sweep runs it at every instant

FATIMA = "fatima.l@example.fr"


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def items(api, member_id: str) -> dict[str, dict]:
    found = table(api).query(KeyConditionExpression=Key("pk").eq(f"MEMBER#{member_id}"))
    return {i["sk"]: i for i in found["Items"] if not i["sk"].startswith("LIMIT#")}


def own_member(api) -> dict:
    """A member of her own with an individual contract since 1 January 2024, and the claims
    of her token (as the gateway hands them over)."""
    info = new_member(api)
    info["claims"] = {"sub": info["sub"], "token_use": "access",
                      "client_id": api.resources.client_id,
                      "scope": "aws.cognito.signin.user.admin", "username": info["sub"]}
    return info


@pytest.fixture
def member(api):
    return own_member(api)


def as_(who: dict, method: str, path: str, api, body=None, query: str = "", headers=None):
    return api.call(method, path, claims=who["claims"], body=body, query=query,
                    headers=headers)


def terminate(api, who, body, key=None):
    return as_(who, "POST", "/contract/termination", api, body, headers=idempotency(key))


def upload(api, who: dict) -> str:
    import requests

    pdf = sample_pdf()
    ticket = as_(who, "POST", "/support/uploads", api, {
        "filename": "justificatif.pdf", "content_type": "application/pdf", "size": len(pdf)})
    assert ticket.status == 201, ticket.body
    sent = requests.post(ticket.body["url"], data=ticket.body["fields"],
                         files={"file": ("justificatif.pdf", pdf)}, timeout=10)
    assert sent.status_code < 300
    assert as_(who, "POST", f"/support/uploads/{ticket.body['id']}/confirm", api).status == 200
    return ticket.body["id"]


def advise(api, who: dict, request_id: str, action: str, message: str | None = None):
    """What an advisor does: take the request, then accept or refuse it."""
    advisor = "conseiller@example.fr"
    ref = f"{who['member_id']}_{request_id}"
    current = api.get(f"/support/advisor/requests/{ref}", user=advisor).body
    version = current["version"]
    if current["status"] == "sent":
        version = api.post(f"/support/advisor/requests/{ref}/take", {"version": version},
                           user=advisor).body["version"]
    done = api.post(f"/support/advisor/requests/{ref}/{action}",
                    {"version": version, **({"message": message} if message else {})},
                    user=advisor)
    assert done.status == 200, done.body


def test_an_individual_contract_lists_every_reason_with_its_date_and_source(api, member):
    view = as_(member, "GET", "/contract/termination", api)
    assert view.status == 200, view.body
    v = view.body
    assert v["collective"] is False and v["can_request"] and v["pending"] is None
    reasons = {r["code"]: r for r in v["reasons"]}
    assert list(reasons) == ["infra_annual", "situation_change", "employer_contract", "c2s",
                             "death", "other"]
    today = clock.today()
    infra = reasons["infra_annual"]
    assert infra["available"] and not infra["needs_document"]
    assert infra["effective_on"] == add_months(today, 1).isoformat()
    assert "L221-10-2" in infra["source"] and "2019-733" in infra["source"]
    assert reasons["situation_change"]["needs_document"]
    assert reasons["situation_change"]["event_min"] == add_months(today, -3).isoformat()
    assert reasons["death"]["document_hint"] == "L'acte de décès."
    assert reasons["employer_contract"]["confirmed"] is False  # a reading to confirm
    other = reasons["other"]["effective_on"]
    assert other.endswith("-12-31") and int(other[:4]) in (today.year, today.year + 1)
    assert "2023-182" in v["online_source"]


def test_a_collective_contract_is_explained_never_a_failing_form(api):
    view = api.get("/contract/termination").body
    assert view["collective"] and view["employer"] == "Transports Lumière SA"
    assert not view["can_request"] and view["reasons"] == []
    assert "Transports Lumière SA" in view["why_not"] and "dispense" in view["why_not"]
    sources = " ".join(d["source"] for d in view["dispense"])
    assert "D911-2" in sources and "R242-1-6" in sources
    assert any("C2S" in d["case"] for d in view["dispense"])
    fatima = api.demo["members"][FATIMA]["member_id"]
    before = items(api, fatima)
    refused = api.post("/contract/termination", {"reason": "infra_annual"},
                       headers=idempotency())
    assert refused.status == 403 and refused.body["code"] == "collective_contract"
    assert "employeur" in refused.body["message"]
    assert items(api, fatima).keys() == before.keys()


def test_a_termination_is_filed_once_acknowledged_and_told_to_the_management_system(
        api, member):
    who, mid = member["email"], member["member_id"]
    key = "term-once-0001"
    first = terminate(api, member, {"reason": "infra_annual"}, key)
    assert first.status == 201, first.body
    t = first.body
    today = clock.today()
    assert t["requested_on"] == today.isoformat()
    assert t["effective_on"] == add_months(today, 1).isoformat()
    assert t["reference"].startswith("RE-")
    # A double click (same key): the same answer, nothing more.
    after_first = items(api, mid)
    again = terminate(api, member, {"reason": "infra_annual"}, key)
    assert again.status == 201 and again.body["id"] == t["id"]
    assert items(api, mid).keys() == after_first.keys()
    # Another request while it is pending: 409 in French, nothing changed.
    second = terminate(api, member, {"reason": "other"})
    assert second.status == 409 and second.body["code"] == "termination_pending"
    assert t["reference"] in second.body["message"]
    assert items(api, mid).keys() == after_first.keys()

    stored = items(api, mid)
    assert len([k for k in stored if k.startswith("REQ#")]) == 1
    # « Mon contrat » says it, and nothing else of her space changes.
    contract = as_(member, "GET", "/contract", api).body
    assert contract["termination"]["reference"] == t["reference"]
    assert contract["termination"]["effective_on"] == t["effective_on"]
    assert contract["end_date"] is None
    assert as_(member, "GET", "/contract/card", api).status == 200
    view = as_(member, "GET", "/contract/termination", api).body
    assert not view["can_request"] and view["pending"]["id"] == t["id"]
    # The letter in « Mes documents ».
    docs = as_(member, "GET", "/documents", api, query="limit=10").body["items"]
    letter = next(d for d in docs if d["id"] == t["document_id"])
    assert "résiliation" in letter["title"].lower()
    link = as_(member, "GET", f"/documents/{t['document_id']}/link", api)
    assert link.status == 200, link.body
    # The event for the management system, with the dates.
    events = [i["event"] for k, i in stored.items() if k.startswith("OUTBOX#")]
    asked = next(e for e in events if e["detail_type"] == "ContractTerminationRequested")
    assert asked["detail"]["reason"] == "infra_annual"
    assert asked["detail"]["effective_on"] == t["effective_on"]
    assert asked["detail"]["request_id"] == t["id"]
    # The email gives the dates.
    mail = next(m for m in sent_mail() if who in m["to"] and t["reference"] in m["subject"])
    assert f"reçue le {fr_date_long(today)}" in mail["body"]
    assert f"prend effet le {fr_date_long(date.fromisoformat(t['effective_on']))}" \
        in mail["body"]
    # The advisors see it in their queue, labelled, and process it like any request.
    queue = api.get("/support/advisor/queue", query="limit=100",
                    user="conseiller@example.fr").body
    row = next(r for r in queue["items"] if r["reference"] == t["reference"])
    assert row["kind_label"] == "Demande de résiliation"
    ref = f"{mid}_{t['id']}"
    detail = api.get(f"/support/advisor/requests/{ref}", user="conseiller@example.fr").body
    said = {d["label"]: d["value"] for d in detail["details"]}
    assert said["Motif"] == "Résiliation après la première année d'adhésion"
    assert "L221-10-2" in said["Règle appliquée"]
    advise(api, member, t["id"], "accept", "Résiliation enregistrée.")


def test_a_refused_termination_frees_the_contract_for_a_new_request(api, member):
    first = terminate(api, member, {"reason": "infra_annual"}).body
    advise(api, member, first["id"], "refuse", "Demande faite par erreur ?")
    assert as_(member, "GET", "/contract/termination", api).body["can_request"]
    again = terminate(api, member, {"reason": "other"})
    assert again.status == 201, again.body
    assert again.body["id"] != first["id"]


@pytest.mark.parametrize("body, code", [
    ({"reason": "situation_change", "event_date": "TODAY-10"}, "documents_missing"),
    ({"reason": "situation_change", "upload_ids": ["UPLOAD"]}, "event_date_missing"),
    ({"reason": "situation_change", "event_date": "TODAY-100", "upload_ids": ["UPLOAD"]},
     "event_date_out_of_window"),
    ({"reason": "situation_change", "event_date": "TODAY+3", "upload_ids": ["UPLOAD"]},
     "event_date_out_of_window"),
    ({"reason": "death", "event_date": "TODAY-1"}, "documents_missing"),
    ({"reason": "c2s", "event_date": "TODAY+200", "upload_ids": ["UPLOAD"]},
     "event_date_out_of_window"),
])
def test_bad_input_is_refused_in_french_and_changes_nothing(api, member, body, code):
    today = clock.today()
    if "event_date" in body:
        sign = -1 if "-" in body["event_date"] else 1
        days = int(body["event_date"].split("-" if sign < 0 else "+")[1])
        body = {**body, "event_date": (today + timedelta(days=sign * days)).isoformat()}
    if "upload_ids" in body:
        body = {**body, "upload_ids": [upload(api, member)]}
    before = items(api, member["member_id"])
    answer = terminate(api, member, body)
    assert answer.status == 422, answer.body
    assert answer.body["code"] == code and answer.body["message"][0].isupper()
    assert items(api, member["member_id"]) == before


def test_infra_annual_waits_for_the_first_year(api):
    info = own_member(api)
    sk = "FILE#CONTRACT#CT1"
    joined = clock.today() - timedelta(days=40)
    table(api).update_item(Key={"pk": f"MEMBER#{info['member_id']}", "sk": sk},
                           UpdateExpression="SET start_date = :s",
                           ExpressionAttributeValues={":s": joined.isoformat()})
    infra = next(r for r in as_(info, "GET", "/contract/termination", api).body[
        "reasons"] if r["code"] == "infra_annual")
    assert not infra["available"]
    assert fr_date_long(add_months(joined, 12)) in infra["why_not"]
    refused = terminate(api, info, {"reason": "infra_annual"})
    assert refused.status == 422 and refused.body["code"] == "reason_unavailable"
    # The annual deadline stays open to her.
    assert terminate(api, info, {"reason": "other"}).status == 201


def test_the_end_confirmed_by_the_management_system_closes_her_space_as_the_rules_say(
        api, member):
    """The whole loop: requested, nothing changes; the management system's Coverage ends on
    the effective date; on that day everything is still open; the day after, only her
    documents (the acknowledgement among them), statements and export remain."""
    from domain.fhir import outbound
    from domain.membership import member_context

    mid = member["member_id"]
    t = terminate(api, member, {"reason": "infra_annual"}).body
    effective = date.fromisoformat(t["effective_on"])
    assert as_(member, "GET", "/claims", api).status == 200
    ctx = member_context(mid)
    contract = ctx.contracts[0].model_copy(update={"end_date": effective})
    for benef in ctx.beneficiaries.values():
        # Her Patient first (a Coverage waits for its people), then the ended Coverage.
        for resource in (outbound.patient(mid, benef, ctx.profile),
                         outbound.coverage(mid, contract, benef, version=2)):
            applied = api.post("/system/fhir", resource, user=GESTION)
            assert applied.status == 200, applied.body
    ending = as_(member, "GET", "/contract", api).body
    assert ending["end_date"] == t["effective_on"]
    assert ending["termination"]["reference"] == t["reference"]
    # Already ending: nothing more to terminate (the pending one answers first; once it is
    # processed, the end date does).
    advise(api, member, t["id"], "accept")
    late = terminate(api, member, {"reason": "other"})
    assert late.status == 409 and late.body["code"] == "contract_ending"
    assert fr_date_long(effective) in late.body["message"]

    from tests.travel import start

    paris_noon = datetime.combine(effective, time(12, 0), tzinfo=PARIS)
    traveller = start(paris_noon)
    try:
        assert clock.today() == effective
        assert as_(member, "GET", "/claims", api).status == 200
    finally:
        traveller.stop()
    traveller = start(paris_noon + timedelta(days=1))
    try:
        closed = as_(member, "GET", "/claims", api)
        assert closed.status == 403 and closed.body["code"] == "contract_ended"
        assert terminate(api, member, {"reason": "other"}).status == 403
        docs = as_(member, "GET", "/documents", api, query="limit=10")
        assert docs.status == 200
        assert t["document_id"] in [d["id"] for d in docs.body["items"]]
    finally:
        traveller.stop()


def test_a_failing_dependency_leaves_nothing_half_written(api, member):
    """Each AWS call of the request fails in turn (503, nothing half-written, the letter's
    file removed), then the retry files one request, one letter, one event, one email."""
    from tests.integration.test_faults import run_with_faults
    from tests.integration.test_faults import snapshot as _unused  # noqa: F401

    class Client:
        def call(self, method, path, *, user=None, body=None, headers=None):
            r = api.call(method, path, claims=member["claims"], body=body, headers=headers)
            return r.status, r.body

    headers = idempotency()
    before, after = run_with_faults(api, Client(), "POST", "/contract/termination",
                                    {"reason": "infra_annual"}, headers, 201)
    created = sorted(sk.split("#")[0] for pk, sk in set(after[0]) - set(before[0])
                     if pk == f"MEMBER#{member['member_id']}")
    assert created.count("REQ") == 1 and created.count("DOC") == 1
    assert created.count("OUTBOX") == 2  # the event and the email
    assert len(after[1] - before[1]) == 1  # one letter's file


@pytest.mark.parametrize("instant, received, effective", [
    # 23:50 in Paris on 31 December is 22:50 UTC: still 31 December, both sides.
    ("2026-12-31T22:50:00+00:00", "2026-12-31", "2027-01-31"),
    # 00:10 in Paris on 1 January is 23:10 UTC on 31 December: already 1 January in Paris.
    ("2026-12-31T23:10:00+00:00", "2027-01-01", "2027-02-01"),
    ("2027-01-31T10:00:00+00:00", "2027-01-31", "2027-02-28"),
    ("2028-01-31T10:00:00+00:00", "2028-01-31", "2028-02-29"),
    ("2028-02-29T10:00:00+00:00", "2028-02-29", "2028-03-29"),
], ids=["31-dec-23h50", "1-jan-00h10", "31-jan", "31-jan-leap", "29-feb"])
def test_the_request_is_received_on_the_paris_date(api, member, instant, received, effective):
    with time_machine.travel(instant, tick=False):
        answer = terminate(api, member, {"reason": "infra_annual"})
    assert answer.status == 201, answer.body
    assert answer.body["requested_on"] == received
    assert answer.body["effective_on"] == effective
    stored = items(api, member["member_id"])
    event = next(i["event"] for k, i in stored.items() if k.startswith("OUTBOX#")
                 and i["event"]["detail_type"] == "ContractTerminationRequested")
    assert event["detail"]["received_at"].startswith(received)
    assert event["detail"]["effective_on"] == effective
