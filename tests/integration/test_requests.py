import uuid
from datetime import timedelta

import requests

from shared.dates import today_paris

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(api, content: bytes, content_type="application/pdf", name="facture.pdf",
           user="fatima.l@example.fr", declared=None):
    t = api.post("/claims/uploads", {"filename": name, "content_type": content_type,
                                     "size": declared or len(content)}, user=user)
    assert t.status == 201, t.body
    r = requests.post(t.body["url"], data=t.body["fields"],
                      files={"file": (name, content, content_type)}, timeout=10)
    assert r.status_code in (200, 201, 204), r.text
    return t.body["id"]


def request_body(api, upload_ids, **over):
    me = api.get("/members/me").body
    body = {"beneficiary_id": me["beneficiaries"][1]["id"], "act_code": "G",
            "care_date": (today_paris() - timedelta(days=3)).isoformat(),
            "amount_cents": 3000, "practitioner": {"sector": 1, "optam": True},
            "care_pathway": True, "upload_ids": upload_ids}
    body.update(over)
    return body


def test_full_request_with_an_invoice(api):
    uid = upload(api, PDF)
    confirmed = api.post(f"/claims/uploads/{uid}/confirm")
    assert confirmed.status == 200 and confirmed.body["status"] == "ready"
    k = str(uuid.uuid4())
    r = api.post("/claims/requests", request_body(api, [uid]), headers={"Idempotency-Key": k})
    assert r.status == 201, r.body
    assert r.body["reference"].startswith("DR-") and r.body["status"] == "received"
    # A replay with the same key returns the first answer and creates nothing more.
    again = api.post("/claims/requests", request_body(api, [uid]),
                     headers={"Idempotency-Key": k})
    assert again.status == 201 and again.body == r.body
    listed = api.get("/claims/requests").body["items"]
    assert [i["id"] for i in listed].count(r.body["id"]) == 1
    # The invoice cannot serve a second request.
    other = api.post("/claims/requests", request_body(api, [uid]),
                     headers={"Idempotency-Key": str(uuid.uuid4())})
    assert other.status == 422
    assert api.get(f"/claims/requests/{r.body['id']}", user="paul.m@example.fr").status == 404


def test_processing_turns_the_request_into_a_reimbursement(api):
    uid = upload(api, PNG, "image/png", "facture.png")
    assert api.post(f"/claims/uploads/{uid}/confirm").status == 200
    r = api.post("/claims/requests", request_body(api, [uid], act_code="G"),
                 headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status == 201
    from claims.logic.requests import process_pending

    assert r.body["reference"] in process_pending()
    req = api.get(f"/claims/requests/{r.body['id']}").body
    assert req["status"] == "processed" and req["claim_id"]
    claim = api.get(f"/claims/{req['claim_id']}").body
    assert claim["real_cost_cents"] == 3000 and claim["status"] == "paid"
    assert claim["social_security_cents"] + claim["mutual_cents"] + \
        claim["out_of_pocket_cents"] == 3000
    assert process_pending() == []  # nothing is processed twice


def test_wrong_content_is_rejected_by_content_not_by_name(api):
    uid = upload(api, b"MZ\x90\x00 this is an exe", "application/pdf", "facture.pdf")
    r = api.post(f"/claims/uploads/{uid}/confirm")
    assert r.status == 422 and "PDF, JPEG ou PNG" in r.body["message"]
    r = api.post("/claims/requests", request_body(api, [uid]),
                 headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status == 422


def test_bad_uploads_and_requests(api):
    big = api.post("/claims/uploads", {"filename": "x.pdf", "content_type": "application/pdf",
                                       "size": 11 * 1024 * 1024})
    assert big.status == 422 and "10 Mo" in big.body["message"]
    exe = api.post("/claims/uploads", {"filename": "x.exe",
                                       "content_type": "application/x-msdownload", "size": 10})
    assert exe.status == 422
    # A file larger than announced is caught at confirmation.
    uid = upload(api, PDF + b"0" * (10 * 1024 * 1024), declared=100)
    assert api.post(f"/claims/uploads/{uid}/confirm").status == 422
    # Never uploaded.
    t = api.post("/claims/uploads", {"filename": "x.pdf", "content_type": "application/pdf",
                                     "size": 100}).body
    r = api.post(f"/claims/uploads/{t['id']}/confirm")
    assert r.status == 422 and "pas arrivé" in r.body["message"]
    # Too many files, future date, unknown act, beneficiary not on the contract.
    ok = upload(api, PDF)
    api.post(f"/claims/uploads/{ok}/confirm")
    before = len(api.get("/claims/requests", query="limit=100").body["items"])
    for body, status in [
        (request_body(api, [ok] * 6), 400),
        (request_body(api, [ok], care_date=(today_paris() + timedelta(days=2)).isoformat()),
         422),
        (request_body(api, [ok], act_code="XYZ"), 422),
        (request_body(api, [ok], beneficiary_id="B42"), 422),
        (request_body(api, [ok], amount_cents=-5), 400),
        (request_body(api, []), 400),
    ]:
        r = api.post("/claims/requests", body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status == status, (body, r.body)
        assert r.body["message"]
    assert len(api.get("/claims/requests", query="limit=100").body["items"]) == before
    # Paul cannot confirm or use Fatima's upload.
    assert api.post(f"/claims/uploads/{ok}/confirm", user="paul.m@example.fr").status == 404


def test_expired_upload(api, monkeypatch):
    uid = upload(api, PDF)
    from claims.logic import requests as demands

    real_now = demands._now
    monkeypatch.setattr(demands, "_now", lambda: real_now() + timedelta(days=2))
    r = api.post(f"/claims/uploads/{uid}/confirm")
    assert r.status == 422 and "expiré" in r.body["message"]


def test_storage_failure_is_a_503_with_nothing_written(api, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from shared import repository

    before = len(api.get("/claims/estimates", query="limit=100").body["items"])
    real_table = repository.table

    class Broken:
        def put_item(self, **kw):
            raise EndpointConnectionError(endpoint_url="https://dynamodb")

        def __getattr__(self, name):
            return getattr(real_table(), name)

    monkeypatch.setattr(repository, "table", lambda: Broken())
    me = api.get("/members/me").body
    r = api.post("/claims/estimates", {
        "beneficiary_id": me["beneficiaries"][0]["id"], "act_code": "G",
        "care_date": today_paris().isoformat(), "price_cents": 3000},
        headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status == 503 and r.headers.get("Retry-After")
    assert "Rien n'a été enregistré" in r.body["message"]
    monkeypatch.undo()
    assert len(api.get("/claims/estimates", query="limit=100").body["items"]) == before

