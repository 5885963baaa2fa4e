import uuid
from datetime import timedelta

import requests

from shared import clock
from tests.helpers import ADVISOR, advisor_ref, process, sample_image, sample_pdf

PDF = sample_pdf()
PNG = sample_image("PNG")
JPEG = sample_image("JPEG")


def upload(api, content: bytes, content_type="application/pdf", name="facture.pdf",
           user="fatima.l@example.fr", declared=None):
    t = api.post("/support/uploads", {"filename": name, "content_type": content_type,
                                     "size": declared or len(content)}, user=user)
    assert t.status == 201, t.body
    r = requests.post(t.body["url"], data=t.body["fields"],
                      files={"file": (name, content, content_type)}, timeout=10)
    assert r.status_code in (200, 201, 204), r.text
    return t.body["id"]


def request_body(api, upload_ids, **over):
    me = api.get("/members/me").body
    body = {"beneficiary_id": me["beneficiaries"][1]["id"], "act_code": "G",
            "care_date": (clock.today() - timedelta(days=3)).isoformat(),
            "amount_cents": 3000, "practitioner": {"sector": 1, "optam": True},
            "care_pathway": True, "upload_ids": upload_ids}
    body.update(over)
    return body


def test_full_request_with_an_invoice(api):
    uid = upload(api, PDF)
    confirmed = api.post(f"/support/uploads/{uid}/confirm")
    assert confirmed.status == 200 and confirmed.body["status"] == "ready"
    k = str(uuid.uuid4())
    r = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                 headers={"Idempotency-Key": k})
    assert r.status == 201, r.body
    assert r.body["reference"].startswith("DR-") and r.body["status"] == "sent"
    # A replay with the same key returns the first answer and creates nothing more.
    again = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                     headers={"Idempotency-Key": k})
    assert again.status == 201 and again.body == r.body
    listed = api.get("/support/requests").body["items"]
    assert [i["id"] for i in listed].count(r.body["id"]) == 1
    # The invoice cannot serve a second request.
    other = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                     headers={"Idempotency-Key": str(uuid.uuid4())})
    assert other.status == 422
    assert api.get(f"/support/requests/{r.body['id']}", user="paul.m@example.fr").status == 404


def test_processing_turns_the_request_into_a_reimbursement(api):
    uid = upload(api, PNG, "image/png", "facture.png")
    assert api.post(f"/support/uploads/{uid}/confirm").status == 200
    r = api.post("/support/requests/reimbursement", request_body(api, [uid], act_code="G"),
                 headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status == 201
    done = process(api, r.body)
    assert done["status"] == "processed" and done["claim_id"]
    req = api.get(f"/support/requests/{r.body['id']}").body
    assert req["status"] == "processed" and req["claim_id"] == done["claim_id"]
    assert req["unread"]  # the advisor's answer is new to her
    claim = api.get(f"/claims/{req['claim_id']}").body
    assert claim["real_cost_cents"] == 3000 and claim["status"] == "paid"
    assert claim["social_security_cents"] + claim["mutual_cents"] + \
        claim["out_of_pocket_cents"] == 3000
    # Nothing is processed twice: the request is closed.
    ref = advisor_ref(api, r.body)
    again = api.post(f"/support/advisor/requests/{ref}/accept",
                     {"version": done["version"]}, user=ADVISOR)
    assert again.status == 409


def test_wrong_content_is_rejected_by_content_not_by_name(api):
    uid = upload(api, b"MZ\x90\x00 this is an exe", "application/pdf", "facture.pdf")
    r = api.post(f"/support/uploads/{uid}/confirm")
    assert r.status == 422 and "PDF, JPEG ou PNG" in r.body["message"]
    r = api.post("/support/requests/reimbursement", request_body(api, [uid]),
                 headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status == 422


def test_bad_uploads_and_requests(api):
    big = api.post("/support/uploads", {"filename": "x.pdf", "content_type": "application/pdf",
                                       "size": 11 * 1024 * 1024})
    assert big.status == 422 and "10 Mo" in big.body["message"]
    exe = api.post("/support/uploads", {"filename": "x.exe",
                                       "content_type": "application/x-msdownload", "size": 10})
    assert exe.status == 422
    # A file larger than announced is caught at confirmation.
    uid = upload(api, PDF + b"0" * (10 * 1024 * 1024), declared=100)
    assert api.post(f"/support/uploads/{uid}/confirm").status == 422
    # Never uploaded.
    t = api.post("/support/uploads", {"filename": "x.pdf", "content_type": "application/pdf",
                                     "size": 100}).body
    r = api.post(f"/support/uploads/{t['id']}/confirm")
    assert r.status == 422 and "pas arrivé" in r.body["message"]
    # Too many files, future date, unknown act, beneficiary not on the contract.
    ok = upload(api, PDF)
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
                     headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status == status, (body, r.body)
        assert r.body["message"]
    assert len(api.get("/support/requests", query="limit=100").body["items"]) == before
    # Paul cannot confirm or use Fatima's upload.
    assert api.post(f"/support/uploads/{ok}/confirm", user="paul.m@example.fr").status == 404


def test_expired_upload(api, monkeypatch):
    uid = upload(api, PDF)
    from domain import attachments

    real_now = attachments._now
    monkeypatch.setattr(attachments, "_now", lambda: real_now() + timedelta(days=2))
    r = api.post(f"/support/uploads/{uid}/confirm")
    assert r.status == 422 and "expiré" in r.body["message"]


def test_storage_failure_is_a_503_with_nothing_written(api):
    from botocore.exceptions import EndpointConnectionError

    from tests.helpers import aws_calls

    before = len(api.get("/claims/estimates", query="limit=100").body["items"])

    def down(service, operation, params):
        if operation in ("PutItem", "TransactWriteItems"):
            return EndpointConnectionError(endpoint_url="https://dynamodb")
        return None

    me = api.get("/members/me").body
    with aws_calls(fail=down):
        r = api.post("/claims/estimates", {
            "beneficiary_id": me["beneficiaries"][0]["id"], "act_code": "G",
            "care_date": clock.today().isoformat(), "price_cents": 3000},
            headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status == 503 and r.headers.get("Retry-After")
    assert "Rien n'a été enregistré" in r.body["message"]
    assert len(api.get("/claims/estimates", query="limit=100").body["items"]) == before


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
                 headers={"Idempotency-Key": str(uuid.uuid4())})
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
        uid = upload(api, content, ctype, "facture")
        r = api.post(f"/support/uploads/{uid}/confirm")
        assert r.status == 422, (ctype, r.body)
        assert "PDF, JPEG ou PNG" in r.body["message"]
        assert stored_upload(api, uid)["status"] == "rejected"
    for content, ctype in [(PDF, "application/pdf"), (PNG, "image/png"),
                           (JPEG, "image/jpeg")]:
        uid = upload(api, content, ctype, "facture")
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
