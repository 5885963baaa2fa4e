import csv
import io

import requests

from shared import clock


def test_months_list_and_statement_exports(api):
    months = api.get("/claims/statements")
    assert months.status == 200
    items = months.body["items"]
    assert len(items) >= 20 and items[0]["period_start"] > items[-1]["period_start"]
    assert all(m["lines_count"] > 0 for m in items)
    year = clock.today().year - 1
    me = api.get("/members/me").body
    child = me["beneficiaries"][2]
    r = api.post("/claims/statements/exports", {"from": f"{year}-01-01",
                                                "to": f"{year}-12-31", "format": "csv"})
    assert r.status == 201, r.body
    data = requests.get(r.body["url"], timeout=10).content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Date des soins"
    assert rows[-1][0] == "Total"
    assert len(rows) - 2 == r.body["lines_count"] > 10
    only_child = api.post("/claims/statements/exports", {
        "from": f"{year}-01-01", "to": f"{year}-12-31", "format": "csv",
        "beneficiary_ids": [child["id"]]}).body
    child_rows = list(csv.reader(io.StringIO(requests.get(only_child["url"], timeout=10)
                                             .content.decode("utf-8-sig")), delimiter=";"))
    names = {row[1] for row in child_rows[1:-1]}
    assert names == {f"{child['first_name']} {child['last_name']}"}
    pdf = api.post("/claims/statements/exports", {"from": f"{year}-01-01",
                                                  "to": f"{year}-12-31", "format": "pdf"})
    assert pdf.status == 201 and pdf.body["filename"].endswith(".pdf")
    assert requests.get(pdf.body["url"], timeout=10).content.startswith(b"%PDF")


def test_bad_statement_requests(api):
    for body, status in [
        ({"from": "2026-05-01", "to": "2026-01-01"}, 422),
        ({"from": "2020-01-01", "to": "2026-01-01"}, 422),
        ({"from": "2026-01-01", "to": "2026-02-01", "format": "xls"}, 400),
        ({"from": "2026-01-01", "to": "2026-02-01", "beneficiary_ids": ["B77"]}, 422),
    ]:
        r = api.post("/claims/statements/exports", body)
        assert r.status == status, (body, r.body)
        assert r.body["message"]


def test_storage_down_gives_503_and_a_retry_hint(api, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from shared import repository

    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise EndpointConnectionError(endpoint_url="https://s3")
            return fail

    monkeypatch.setattr(repository, "s3", lambda public=False: Down())
    r = api.post("/claims/statements/exports", {"from": "2026-01-01", "to": "2026-03-31",
                                                "format": "csv"})
    assert r.status == 503 and r.headers["Retry-After"]
    assert "réessayez" in r.body["message"]
    t = api.post("/support/uploads", {"filename": "f.pdf", "content_type": "application/pdf",
                                     "size": 100})
    assert t.status == 503
