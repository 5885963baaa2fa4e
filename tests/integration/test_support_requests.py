"""« Mes demandes » and the advisors' workspace: one machinery for every kind of request, its
states, what accepting does, the audit trail and the emails (issue 9)."""

import uuid

import boto3
import pytest

from infra.local import mailbox
from tests.helpers import ADVISOR, advisor_ref, process, sample_pdf, upload_file

OTHER_ADVISOR = "conseillere2@example.fr"
PAUL = "paul.m@example.fr"


def key():
    return {"Idempotency-Key": str(uuid.uuid4())}


def send_other(api, **over):
    body = {"category": "complaint", "subject": "Réclamation sur un délai",
            "message": "J'attends <b>toujours</b> mon remboursement.", **over}
    r = api.post("/support/requests/other", body, headers=key())
    assert r.status == 201, r.body
    return r.body


def mails_to(address):
    return [m for m in mailbox.sent() if address in m["to"]]


def audit_trail(api, member="fatima.l@example.fr"):
    table = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])
    pk = f"MEMBER#{api.demo['members'][member]['member_id']}"
    items = table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :a)",
                        ExpressionAttributeValues={":pk": pk, ":a": "AUDIT#"})["Items"]
    return [(i["role"], i["action"], i["target"]) for i in items]


def test_a_complaint_goes_round_the_whole_loop(api):
    before = len(mails_to("fatima.l@example.fr"))
    doc = upload_file(api, sample_pdf())
    sent = send_other(api, upload_ids=[doc])
    assert sent["status"] == "sent" and sent["reference"].startswith("DA-")
    assert sent["deadlines"]["acknowledge_by"] and sent["deadlines"]["answer_by"]
    assert [a["id"] for a in sent["attachments"]] == [doc]
    # Shown as text, never as markup: what she typed comes back as she typed it.
    assert sent["message"] == "J'attends <b>toujours</b> mon remboursement."
    ack = mails_to("fatima.l@example.fr")[0]
    assert sent["reference"] in ack["subject"] and "médiateur" in ack["body"]

    queue = api.get("/support/advisor/queue", user=ADVISOR, query="status=sent&limit=100")
    assert sent["reference"] in [q["reference"] for q in queue.body["items"]]
    ref = advisor_ref(api, sent)
    opened = api.get(f"/support/advisor/requests/{ref}", user=ADVISOR).body
    assert opened["allowed"] == ["take", "ask"] and opened["member"]["name"] == "Fatima Lambert"
    assert ("advisor", "request_opened", sent["reference"]) in audit_trail(api)

    no_message = api.post(f"/support/advisor/requests/{ref}/ask",
                          {"version": opened["version"]}, user=ADVISOR)
    assert no_message.status == 422 and "message" in no_message.body["fields"]
    asked = api.post(f"/support/advisor/requests/{ref}/ask",
                     {"version": opened["version"], "message": "Quelle date de soins ?"},
                     user=ADVISOR).body
    assert asked["status"] == "info_needed"
    mine = api.get(f"/support/requests/{sent['id']}").body
    assert mine["status"] == "info_needed" and mine["unread"] and mine["can_answer"]
    assert mine["history"][-1]["message"] == "Quelle date de soins ?"
    assert api.post(f"/support/requests/{sent['id']}/read").status == 204
    assert not api.get(f"/support/requests/{sent['id']}").body["unread"]

    second = upload_file(api, sample_pdf("Facture du 12 mars"))
    answered = api.post(f"/support/requests/{sent['id']}/answer",
                        {"message": "Les soins datent du 12 mars.", "upload_ids": [second]})
    assert answered.status == 200 and answered.body["status"] == "in_progress"
    assert len(answered.body["attachments"]) == 2
    again = api.post(f"/support/requests/{sent['id']}/answer", {"message": "Encore ?"})
    assert again.status == 409  # nobody asked anything more

    done = process(api, sent, "accept", "Nous avons relancé le paiement, qui part demain.")
    assert done["status"] == "processed"
    subjects = [m["subject"] for m in mails_to("fatima.l@example.fr")[:3]]
    assert any("a été acceptée" in s for s in subjects)
    assert any("besoin d'informations" in s for s in subjects)
    assert len(mails_to("fatima.l@example.fr")) >= before + 3
    actions = {a for _, a, t in audit_trail(api) if t == sent["reference"]}
    assert {"request_sent", "request_opened", "request_ask", "request_answered",
            "request_accept"} <= actions


def test_emails_never_carry_health_details_nor_amounts(api):
    upload = upload_file(api, sample_pdf())
    r = api.post("/support/requests/reimbursement", {
        "beneficiary_id": "B02", "act_code": "G", "care_date": "2026-11-20",
        "amount_cents": 4321, "upload_ids": [upload]}, headers=key())
    assert r.status == 201
    process(api, r.body)
    for mail in mails_to("fatima.l@example.fr"):
        text = mail["subject"] + mail["body"]
        assert "€" not in text and "43,21" not in text
        assert "généraliste" not in text and "Karim" not in text


def test_illegal_transitions_are_refused_and_change_nothing(api):
    sent = send_other(api, category="other", subject="Une question")
    ref = advisor_ref(api, sent)
    for action in ("accept", "refuse"):
        r = api.post(f"/support/advisor/requests/{ref}/{action}",
                     {"version": 1, "message": "Non."}, user=ADVISOR)
        assert r.status == 409 and r.body["code"] == "illegal_transition"
    taken = api.post(f"/support/advisor/requests/{ref}/take", {"version": 1}, user=ADVISOR)
    assert taken.status == 200
    # Another advisor cannot act on a request someone is processing.
    other = api.post(f"/support/advisor/requests/{ref}/accept",
                     {"version": taken.body["version"]}, user=OTHER_ADVISOR)
    assert other.status == 409 and other.body["code"] == "assigned_elsewhere"
    stale = api.post(f"/support/advisor/requests/{ref}/accept", {"version": 1}, user=ADVISOR)
    assert stale.status == 409 and stale.body["code"] == "stale_version"
    unknown = api.post(f"/support/advisor/requests/{ref}/delete", {"version": 2},
                       user=ADVISOR)
    assert unknown.status == 404  # no such action: no such address
    assert api.get(f"/support/requests/{sent['id']}").body["status"] == "in_progress"


def test_nobody_else_sees_or_touches_a_request(api):
    sent = send_other(api, category="other", subject="Question privée")
    assert api.get(f"/support/requests/{sent['id']}", user=PAUL).status == 404
    assert api.post(f"/support/requests/{sent['id']}/answer", {"message": "x"},
                    user=PAUL).status == 404
    ref = advisor_ref(api, sent)
    # A member on the advisors' workspace: 404, whether it is her request or not.
    assert api.get(f"/support/advisor/requests/{ref}").status == 404
    assert api.get("/support/advisor/queue").status == 404
    forged = ref.replace(api.demo["members"]["fatima.l@example.fr"]["member_id"],
                         api.demo["members"][PAUL]["member_id"])
    assert api.get(f"/support/advisor/requests/{forged}", user=ADVISOR).status == 404


@pytest.mark.parametrize("body", [
    {"category": "other", "subject": "x" * 121, "message": "Bonjour"},
    {"category": "other", "subject": "Ok", "message": "Bonjour"},
    {"category": "other", "subject": "Sujet", "message": "x" * 2001},
    {"category": "inconnue", "subject": "Sujet", "message": "Bonjour"},
    {"category": "other", "subject": "Sujet", "message": "Bonjour", "beneficiary_id": "B99"},
    {"category": "other", "subject": "Sujet", "message": "Bonjour",
     "upload_ids": ["U20261126T100000-00000000"]},
])
def test_bad_requests_get_a_french_4xx_and_store_nothing(api, body):
    before = len(api.get("/support/requests", query="limit=100").body["items"])
    r = api.post("/support/requests/other", body, headers=key())
    assert 400 <= r.status < 500 and r.body["message"]
    assert len(api.get("/support/requests", query="limit=100").body["items"]) == before


def test_filters_and_search_by_acknowledgement_number(api):
    sent = send_other(api, category="other", subject="À retrouver")
    found = api.get("/support/requests", query=f"q={sent['reference'][-8:].lower()}").body
    assert [r["id"] for r in found["items"]] == [sent["id"]]
    others = api.get("/support/requests", query="kind=other&limit=100").body["items"]
    assert all(r["kind"] == "other" for r in others) and others
    processed = api.get("/support/requests", query="status=processed&limit=100").body
    assert all(r["status"] == "processed" for r in processed["items"])
    assert api.get("/support/requests", query="status=perdue").status == 400


def test_the_demo_requests_show_each_state(api):
    items = api.get("/support/requests", query="limit=100").body["items"]
    states = {r["status"] for r in items}
    assert {"sent", "info_needed", "processed", "in_progress"} <= states
    assert any(r["unread"] for r in items)
