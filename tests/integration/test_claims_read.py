from datetime import date

from shared import clock


def all_pages(api, query="", user="fatima.l@example.fr"):
    items, cursor = [], None
    while True:
        q = query + (f"&cursor={cursor}" if cursor else "")
        r = api.get("/claims", query=q.lstrip("&"), user=user)
        assert r.status == 200, r.body
        items += r.body["items"]
        cursor = r.body["next"]
        if not cursor:
            return items


def test_list_is_newest_first_and_paginated(api):
    first = api.get("/claims", query="limit=5")
    assert first.status == 200
    assert len(first.body["items"]) == 5 and first.body["next"]
    items = all_pages(api, "limit=25")
    dates = [i["care_date"] for i in items]
    assert dates == sorted(dates, reverse=True)
    assert len({i["id"] for i in items}) == len(items)
    # Two years of history across care categories.
    assert (date.fromisoformat(dates[0]) - date.fromisoformat(dates[-1])).days > 730
    categories = {i["category"] for i in items}
    assert {"consultation_gp", "consultation_specialist", "pharmacy", "optics",
            "dental_care", "hospital"} <= categories


def test_filters_by_period_and_beneficiary(api):
    child = api.get("/members/me").body["beneficiaries"][2]
    items = all_pages(api, f"beneficiary={child['id']}&limit=10")
    assert items and {i["beneficiary_id"] for i in items} == {child["id"]}
    year = clock.today().year - 1
    items = all_pages(api, f"from={year}-01-01&to={year}-12-31")
    assert items and all(i["care_date"].startswith(str(year)) for i in items)


def test_detail_adds_up(api):
    summary = api.get("/claims", query="limit=50").body["items"]
    for item in summary:
        d = api.get(f"/claims/{item['id']}").body
        assert d["real_cost_cents"] == (d["social_security_cents"] + d["mutual_cents"]
                                        + d["out_of_pocket_cents"])
        assert {ln["key"] for ln in d["lines"]} >= {"real_cost", "social_security", "mutual",
                                                   "out_of_pocket"}
        assert all(ln["explanation"] for ln in d["lines"])
        if d["status"] == "paid":
            assert d["payment_date"] >= d["care_date"]
        if d["status"] == "paid" and d["mutual_cents"]:
            assert d["bank_account_masked"].startswith("FR") and "•" in d[
                "bank_account_masked"]


def test_another_members_reimbursement_is_not_found(api):
    fatima_claim = api.get("/claims", query="limit=1").body["items"][0]["id"]
    r = api.get(f"/claims/{fatima_claim}", user="paul.m@example.fr")
    assert r.status == 404
    assert r.body["message"] == "Ce remboursement est introuvable."
    assert api.get("/claims/C20250101-deadbeef").status == 404
    assert api.get("/claims/..%2F..%2Fetc").status == 404


def test_bad_query_strings_get_a_french_4xx(api):
    r = api.get("/claims", query="from=2026-13-45")
    assert r.status == 400
    assert "AAAA-MM-JJ" in r.body["message"] and "Traceback" not in str(r.body)
    r = api.get("/claims", query="from=2026-05-01&to=2026-01-01")
    assert r.status == 400 and "date de début" in r.body["message"]
    r = api.get("/claims", query="limit=1000")
    assert r.status == 400


def test_forged_cursor_is_refused(api):
    import base64
    import json

    paul_pk = "MEMBER#" + api.demo["members"]["paul.m@example.fr"]["member_id"]
    forged = base64.urlsafe_b64encode(json.dumps(
        {"pk": paul_pk, "sk": "CLAIM#2099-01-01#x"}).encode()).decode().rstrip("=")
    for cursor in (forged, "not-a-cursor", "eyJ4IjoxfQ"):
        r = api.get("/claims", query=f"cursor={cursor}")
        assert r.status == 400, cursor
        assert r.body["code"] == "invalid_cursor"
        assert "Rechargez" in r.body["message"]


def test_a_cursor_only_when_there_is_a_next_page(api):
    """Defect: a page exactly full ended with a cursor to an empty page (« 0 de plus »)."""
    everything = api.get("/claims", query="limit=100").body
    assert everything["next"] is None
    count = len(everything["items"])
    exact = api.get("/claims", query=f"limit={count}").body
    assert len(exact["items"]) == count and exact["next"] is None
    short = api.get("/claims", query=f"limit={count - 1}").body
    assert short["next"]
    rest = api.get("/claims", query=f"limit={count - 1}&cursor={short['next']}").body
    assert [c["id"] for c in rest["items"]] == [everything["items"][-1]["id"]]
    assert rest["next"] is None
