"""« Mes demandes » and the advisors' workspace: one machinery for every kind of request, its
states, what accepting does, the audit trail and the emails (issue 9); the files a member
attaches to them (uploads: ticket, storage, the content check, the copy kept)."""

from datetime import timedelta

import boto3
import pytest
import requests

from shared import clock
from tests.helpers import (
    ADVISOR,
    advisor_ref,
    idempotency,
    process,
    sample_image,
    sample_pdf,
    sent_mail,
    upload_file,
)

OTHER_ADVISOR = "conseillere2@example.fr"
PAUL = "paul.m@example.fr"

PDF = sample_pdf()
PNG = sample_image("PNG")
JPEG = sample_image("JPEG")


def request_body(api, upload_ids, **over):
    me = api.get("/members/me").body
    body = {"beneficiary_id": me["beneficiaries"][1]["id"], "act_code": "G",
            "care_date": (clock.today() - timedelta(days=3)).isoformat(),
            "amount_cents": 3000, "practitioner": {"sector": 1, "optam": True},
            "care_pathway": True, "upload_ids": upload_ids}
    body.update(over)
    return body


def test_full_request_with_an_invoice(api):
    uid = upload_file(api, PDF, confirm=False)
    confirmed = api.post(f"/support/uploads/{uid}/confirm")
    assert confirmed.status == 200 and confirmed.body["status"] == "ready"
    same = idempotency()
    r = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                 headers=same)
    assert r.status == 201, r.body
    assert r.body["reference"].startswith("DR-") and r.body["status"] == "sent"
    # A replay with the same key returns the first answer and creates nothing more.
    again = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                     headers=same)
    assert again.status == 201 and again.body == r.body
    listed = api.get("/support/requests").body["items"]
    assert [i["id"] for i in listed].count(r.body["id"]) == 1
    # The invoice cannot serve a second request.
    other = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                     headers=idempotency())
    assert other.status == 422
    assert api.get(f"/support/requests/{r.body['id']}", user="paul.m@example.fr").status == 404


def test_accepting_sends_the_reimbursement_for_payment(api):
    """Accepting computes the reimbursement and sends it for payment: the request is
    « Transmise pour paiement », the reimbursement « en cours » with no payment date (the
    management system pays it), and the payment request leaves with it."""
    uid = upload_file(api, PNG, "image/png", "facture.png", confirm=False)
    assert api.post(f"/support/uploads/{uid}/confirm").status == 200
    r = api.post("/support/requests/reimbursement", request_body(api, [uid], act_code="G"),
                 headers=idempotency())
    assert r.status == 201
    done = process(api, r.body)
    assert done["status"] == "payment_requested" and done["claim_id"]
    req = api.get(f"/support/requests/{r.body['id']}").body
    assert req["status"] == "payment_requested" and req["claim_id"] == done["claim_id"]
    assert req["status_label"] == "Transmise pour paiement"
    assert req["unread"]  # the advisor's answer is new to her
    claim = api.get(f"/claims/{req['claim_id']}").body
    assert claim["real_cost_cents"] == 3000 and claim["status"] == "processing"
    assert not claim.get("payment_date")
    assert claim["social_security_cents"] + claim["mutual_cents"] + \
        claim["out_of_pocket_cents"] == 3000
    # The advisors find it among the requests sent for payment, no longer among those to do.
    queue = api.get("/support/advisor/queue", query="status=payment_requested&limit=100",
                    user=ADVISOR)
    assert queue.status == 200, queue.body
    assert r.body["reference"] in [i["reference"] for i in queue.body["items"]]
    in_progress = api.get("/support/advisor/queue", query="status=in_progress&limit=100",
                          user=ADVISOR).body["items"]
    assert r.body["reference"] not in [i["reference"] for i in in_progress]
    # Nothing is accepted twice: the request waits for its payment.
    ref = advisor_ref(api, r.body)
    again = api.post(f"/support/advisor/requests/{ref}/accept",
                     {"version": done["version"]}, user=ADVISOR)
    assert again.status == 409


def test_wrong_content_is_rejected_by_content_not_by_name(api):
    uid = upload_file(api, b"MZ\x90\x00 this is an exe", "application/pdf", "facture.pdf",
                      confirm=False)
    r = api.post(f"/support/uploads/{uid}/confirm")
    assert r.status == 422 and "PDF, JPEG ou PNG" in r.body["message"]
    r = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                 headers=idempotency())
    assert r.status == 422


def test_bad_uploads_and_requests(api):
    big = api.post("/support/uploads", {"filename": "x.pdf", "content_type": "application/pdf",
                                       "size": 11 * 1024 * 1024})
    assert big.status == 422 and "10 Mo" in big.body["message"]
    exe = api.post("/support/uploads", {"filename": "x.exe",
                                       "content_type": "application/x-msdownload", "size": 10})
    assert exe.status == 422
    # A file larger than announced is caught at confirmation.
    uid = upload_file(api, PDF + b"0" * (10 * 1024 * 1024), declared=100, confirm=False)
    assert api.post(f"/support/uploads/{uid}/confirm").status == 422
    # Never uploaded.
    t = api.post("/support/uploads", {"filename": "x.pdf", "content_type": "application/pdf",
                                     "size": 100}).body
    r = api.post(f"/support/uploads/{t['id']}/confirm")
    assert r.status == 422 and "pas arrivé" in r.body["message"]
    # Too many files, future date, unknown act, beneficiary not on the contract.
    ok = upload_file(api, PDF, confirm=False)
    api.post(f"/support/uploads/{ok}/confirm")
    before = len(api.get("/support/requests", query="limit=100").body["items"])
    for body, status in [
        (request_body(api, [ok] * 6), 400),
        (request_body(api, [ok], care_date=(clock.today() + timedelta(days=2)).isoformat()),
         422),
        (request_body(api, [ok], act_code="XYZ"), 422),
        (request_body(api, [ok], beneficiary_id="B42"), 422),
        (request_body(api, [ok], amount_cents=-5), 400),
        (request_body(api, []), 400),
    ]:
        r = api.post("/support/requests/reimbursement", body,
                     headers=idempotency())
        assert r.status == status, (body, r.body)
        assert r.body["message"]
    assert len(api.get("/support/requests", query="limit=100").body["items"]) == before
    # Paul cannot confirm or use Fatima's upload.
    assert api.post(f"/support/uploads/{ok}/confirm", user="paul.m@example.fr").status == 404


def test_expired_upload(api, monkeypatch):
    uid = upload_file(api, PDF, confirm=False)
    from domain import attachments

    real_now = attachments._now
    monkeypatch.setattr(attachments, "_now", lambda: real_now() + timedelta(days=2))
    r = api.post(f"/support/uploads/{uid}/confirm")
    assert r.status == 422 and "expiré" in r.body["message"]


def stored_upload(api, upload_id, user="fatima.l@example.fr"):
    """The upload's stored item (where the checked file is)."""
    from shared.repository import get_item

    member = api.demo["members"][user]["member_id"]
    return get_item(f"MEMBER#{member}", f"UPLOAD#{upload_id}")


def s3_bytes(api, key):
    import boto3

    bucket = api.resources.names["DocumentsBucket"]
    return boto3.client("s3", region_name="eu-west-3").get_object(
        Bucket=bucket, Key=key)["Body"].read()


def test_the_ticket_allows_exactly_the_declared_size_under_incoming(api):
    import base64
    import json

    t = api.post("/support/uploads", {"filename": "f.pdf", "content_type": "application/pdf",
                                     "size": 1234}).body
    policy = json.loads(base64.b64decode(t["fields"]["Policy"] if "Policy" in t["fields"]
                                         else t["fields"]["policy"]))
    assert ["content-length-range", 1234, 1234] in policy["conditions"]
    assert t["fields"]["key"].startswith("incoming/")


def test_a_confirmed_file_cannot_be_swapped_with_its_ticket(api):
    """Defect: the presigned POST stayed usable after confirm, so an HTML page could replace a
    checked PDF, even once attached to a request."""
    t = api.post("/support/uploads", {"filename": "facture.pdf",
                                     "content_type": "application/pdf", "size": len(PDF)}).body
    requests.post(t["url"], data=t["fields"], files={"file": ("facture.pdf", PDF)}, timeout=10)
    assert api.post(f"/support/uploads/{t['id']}/confirm").status == 200
    r = api.post("/support/requests/reimbursement", request_body(api, [t["id"]]),
                 headers=idempotency())
    assert r.status == 201
    checked_key = stored_upload(api, t["id"])["s3_key"]
    assert checked_key.startswith("members/") and checked_key != t["fields"]["key"]
    html = b"<html><script>alert(1)</script></html>".ljust(len(PDF), b" ")
    requests.post(t["url"], data=t["fields"], files={"file": ("facture.pdf", html)}, timeout=10)
    assert s3_bytes(api, checked_key) == PDF
    assert api.post(f"/support/uploads/{t['id']}/confirm").body["status"] == "attached"


def test_content_is_checked_beyond_its_first_bytes(api):
    fake_pdf = b"%PDF-1.7\n" + b"<html>not a pdf at all</html>" * 4
    for content, ctype in [(fake_pdf, "application/pdf"),
                           (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
                           (PNG, "image/jpeg"), (JPEG, "image/png")]:
        uid = upload_file(api, content, ctype, "facture", confirm=False)
        r = api.post(f"/support/uploads/{uid}/confirm")
        assert r.status == 422, (ctype, r.body)
        assert "PDF, JPEG ou PNG" in r.body["message"]
        assert stored_upload(api, uid)["status"] == "rejected"
    for content, ctype in [(PDF, "application/pdf"), (PNG, "image/png"),
                           (JPEG, "image/jpeg")]:
        uid = upload_file(api, content, ctype, "facture", confirm=False)
        assert api.post(f"/support/uploads/{uid}/confirm").status == 200, ctype


def _ticket(api, content):
    t = api.post("/support/uploads", {"filename": "facture.pdf",
                                     "content_type": "application/pdf",
                                     "size": len(content)}).body
    r = requests.post(t["url"], data=t["fields"], files={"file": ("facture.pdf", content)},
                      timeout=10)
    assert r.status_code in (200, 201, 204)
    return t


def _uploaded_documents(api):
    return {d["id"] for d in api.get("/documents", query="kind=upload&limit=100").body["items"]}


def test_a_file_replaced_while_it_is_checked_is_not_what_is_kept(api, monkeypatch):
    """Defect (issue 17): confirm read the object, checked it, then copied whatever was at the
    key by then, while the ticket was still valid: an HTML page sent during the check of a
    PDF became the « checked » document."""
    from support.logic import uploads

    t = _ticket(api, PDF)
    html = b"<html><script>alert(document.cookie)</script></html>".ljust(len(PDF), b" ")
    real_check = uploads.content_problem

    def slow_check(data, content_type):
        # The same ticket sends a page to the same key while the PDF is being checked.
        sent = requests.post(t["url"], data=t["fields"], files={"file": ("facture.pdf", html)},
                             timeout=10)
        assert sent.status_code in (200, 201, 204)
        assert s3_bytes(api, t["fields"]["key"]) == html
        return real_check(data, content_type)

    monkeypatch.setattr(uploads, "content_problem", slow_check)
    before = _uploaded_documents(api)
    r = api.post(f"/support/uploads/{t['id']}/confirm")
    assert r.status == 200 and r.body["status"] == "ready", r.body
    checked_key = stored_upload(api, t["id"])["s3_key"]
    assert s3_bytes(api, checked_key) == PDF
    (document,) = _uploaded_documents(api) - before
    link = api.get(f"/documents/{document}/link").body
    assert requests.get(link["url"], timeout=10).content == PDF


def test_a_copy_refused_as_changed_is_a_french_409_and_keeps_nothing(api):
    """Where S3 cannot pin the version read (a bucket without versions), the copy is made on
    condition of its ETag; a file changed meanwhile is then refused, never a 5xx, the upload
    left pending so that confirming again checks what is there now."""
    from botocore.exceptions import ClientError

    from tests.helpers import aws_calls

    t = _ticket(api, PDF)
    before = _uploaded_documents(api)

    def changed(service, operation, params):
        if operation == "CopyObject":
            return ClientError({"Error": {"Code": "PreconditionFailed",
                                          "Message": "At least one of the pre-conditions you "
                                                     "specified did not hold"}}, "CopyObject")
        return None

    with aws_calls(fail=changed):
        r = api.post(f"/support/uploads/{t['id']}/confirm")
    assert r.status == 409 and r.body["code"] == "upload_replaced", r.body
    assert "déposez-le à nouveau" in r.body["message"]
    assert stored_upload(api, t["id"])["status"] == "pending"
    assert _uploaded_documents(api) == before
    again = api.post(f"/support/uploads/{t['id']}/confirm")
    assert again.status == 200 and again.body["status"] == "ready"


def test_two_confirmations_at_once_keep_the_checked_file(api, monkeypatch):
    """Defect: of two confirmations of one upload (a retry, a second tab), the one that lost
    the race removed the checked copy the other had just filed: « Mes documents » then listed
    a file that could not be downloaded."""
    from support import repository
    from support.logic import uploads

    t = _ticket(api, PDF)
    member = api.demo["members"]["fatima.l@example.fr"]["member_id"]
    real_transact = repository.transact
    raced = []

    def racing(operations):
        if not raced:
            raced.append(True)
            uploads.confirm(member, t["id"])  # the other confirmation completes first
        return real_transact(operations)

    monkeypatch.setattr(repository, "transact", racing)
    before = _uploaded_documents(api)
    r = api.post(f"/support/uploads/{t['id']}/confirm")
    assert r.status == 200 and r.body["status"] == "ready", r.body
    (document,) = _uploaded_documents(api) - before
    link = api.get(f"/documents/{document}/link").body
    got = requests.get(link["url"], timeout=10)
    assert got.status_code == 200 and got.content == PDF


# ------------------------------------------------- every kind of request, the advisors
def send_other(api, **over):
    body = {"category": "complaint", "subject": "Réclamation sur un délai",
            "message": "J'attends <b>toujours</b> mon remboursement.", **over}
    r = api.post("/support/requests/other", body, headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def mails_to(address):
    return [m for m in sent_mail() if address in m["to"]]


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
        "amount_cents": 4321, "upload_ids": [upload]}, headers=idempotency())
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
    r = api.post("/support/requests/other", body, headers=idempotency())
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
