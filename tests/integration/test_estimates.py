from datetime import datetime, timedelta

from shared import clock
from tests.helpers import idempotency


def estimate_body(api, **over):
    me = api.get("/members/me").body
    body = {"beneficiary_id": me["beneficiaries"][0]["id"], "act_code": "G",
            "care_date": clock.today().isoformat(), "price_cents": 3000,
            "practitioner": {"sector": 1, "optam": True}, "care_pathway": True}
    body.update(over)
    return body


def test_estimate_for_a_gp_consultation(api):
    r = api.post("/claims/estimates", estimate_body(api), headers=idempotency())
    assert r.status == 201, r.body
    t = r.body["totals"]
    assert t["real_cost_cents"] == 3000
    assert t["social_security_cents"] + t["mutual_cents"] + t["out_of_pocket_cents"] == 3000
    assert t["out_of_pocket_cents"] >= 0
    assert {ln["key"] for ln in r.body["lines"]} >= {"real_cost", "base", "social_security",
                                                     "mutual", "out_of_pocket"}
    # Saved and readable again, newest first in « Mes estimations ».
    got = api.get(f"/claims/estimates/{r.body['id']}")
    assert got.status == 200 and got.body["totals"] == t
    assert api.get("/claims/estimates").body["items"][0]["id"] == r.body["id"]


def test_double_submit_creates_one_estimate(api):
    same = idempotency()
    body = estimate_body(api, price_cents=3500)
    before = len(api.get("/claims/estimates", query="limit=100").body["items"])
    first = api.post("/claims/estimates", body, headers=same)
    second = api.post("/claims/estimates", body, headers=same)
    assert first.status == second.status == 201
    assert first.body == second.body
    after = len(api.get("/claims/estimates", query="limit=100").body["items"])
    assert after == before + 1
    # The same key with other data is refused rather than silently answered.
    other = api.post("/claims/estimates", estimate_body(api, price_cents=9000),
                     headers=same)
    assert other.status == 422 and "autres informations" in other.body["message"]


def test_bad_estimates_are_refused_in_french_and_store_nothing(api):
    before = len(api.get("/claims/estimates", query="limit=100").body["items"])
    cases = [
        (estimate_body(api, price_cents=-100), 400),
        (estimate_body(api, price_cents=0), 400),
        (estimate_body(api, price_cents=500_000_000), 400),
        (estimate_body(api, act_code="NOPE"), 422),
        (estimate_body(api, beneficiary_id="B99"), 422),
        (estimate_body(api, care_date="2026-02-30"), 400),
        (estimate_body(api, care_date="1990-01-01"), 422),
    ]
    for body, status in cases:
        r = api.post("/claims/estimates", body, headers=idempotency())
        assert r.status == status, (body, r.body)
        assert r.body["message"] and "Traceback" not in r.body["message"]
    paul_benef = api.get("/members/me", user="paul.m@example.fr").body["beneficiaries"][0]
    r = api.post("/claims/estimates", estimate_body(api, beneficiary_id=paul_benef["id"] + "x"),
                 headers=idempotency())
    assert r.status == 422
    assert len(api.get("/claims/estimates", query="limit=100").body["items"]) == before
    r = api.post("/claims/estimates", estimate_body(api))
    assert r.status == 400 and "Idempotency-Key" in r.body["message"]


def test_an_estimate_never_matches_care_reimbursed_before_it_was_made(api):
    """Defect: an estimate made today was shown as « Soin remboursé » beside an older visit."""
    claims = api.get("/claims", query="limit=100").body["items"]
    paid = next(c for c in claims if c["status"] == "paid" and c["act_code"] == "G")
    for care_date in (paid["care_date"], clock.today().isoformat(),
                      (clock.today() + timedelta(days=20)).isoformat()):
        body = estimate_body(api, beneficiary_id=paid["beneficiary_id"], act_code="G",
                             care_date=care_date, price_cents=2500)
        r = api.post("/claims/estimates", body, headers=idempotency())
        assert r.status == 201, r.body
        assert r.body["actual"] is None
        assert api.get(f"/claims/estimates/{r.body['id']}").body["actual"] is None


def test_created_at_is_iso_8601_with_an_offset(api):
    """Defect: « Estimation faite le » was empty, created_at read 20261126T160625."""
    r = api.post("/claims/estimates", estimate_body(api), headers=idempotency())
    created = datetime.fromisoformat(r.body["created_at"])
    assert created.utcoffset() is not None
    assert abs((clock.now() - created).total_seconds()) < 60
    listed = api.get("/claims/estimates").body["items"]
    assert all(datetime.fromisoformat(e["created_at"]).utcoffset() is not None for e in listed)


def test_a_member_deletes_her_estimate_and_only_hers(api):
    r = api.post("/claims/estimates", estimate_body(api, label="À supprimer"),
                 headers=idempotency())
    estimate_id = r.body["id"]
    assert api.call("DELETE", f"/claims/estimates/{estimate_id}",
                    user="paul.m@example.fr").status == 404
    assert api.get(f"/claims/estimates/{estimate_id}").status == 200
    gone = api.call("DELETE", f"/claims/estimates/{estimate_id}")
    assert gone.status == 204
    assert api.get(f"/claims/estimates/{estimate_id}").status == 404
    ids = [e["id"] for e in api.get("/claims/estimates", query="limit=100").body["items"]]
    assert estimate_id not in ids
    again = api.call("DELETE", f"/claims/estimates/{estimate_id}")
    assert again.status == 404 and "introuvable" in again.body["message"]
    assert api.call("DELETE", "/claims/estimates/not-an-id").status == 404


def test_upload_limits_come_from_the_settings(api):
    r = api.get("/support/uploads/limits")
    assert r.status == 200
    assert r.body["max_bytes"] == 10 * 1024 * 1024
    assert r.body["max_files"] == 5
    assert set(r.body["content_types"]) == {"application/pdf", "image/jpeg", "image/png"}


def test_another_members_estimate_is_not_found(api):
    r = api.post("/claims/estimates", estimate_body(api), headers=idempotency())
    assert api.get(f"/claims/estimates/{r.body['id']}", user="paul.m@example.fr").status == 404


def test_act_search_finds_plain_french_words(api):
    r = api.get("/claims/acts", query="q=generaliste")
    assert r.status == 200
    assert any(a["code"] == "G" for a in r.body["items"])
    r = api.get("/claims/acts", query="q=lunettes")
    assert r.body["items"] and all(a["label"] for a in r.body["items"])


def test_counters_per_beneficiary(api):
    r = api.get("/claims/counters")
    assert r.status == 200
    items = r.body["items"]
    assert len(items) == 3
    for c in items:
        assert c["participation"]["cap_cents"] == 5000
        assert 0 <= c["participation"]["paid_cents"] <= 5000
        assert 0 <= c["franchises"]["paid_cents"] <= c["franchises"]["cap_cents"]
    child = items[2]
    assert child["participation"]["paid_cents"] == 0  # no participation under 18
    assert api.get("/claims/counters", query="year=1800").status == 400


def test_demo_estimate_shows_the_payment_and_the_gap(api):
    items = api.get("/claims/estimates", query="limit=100").body["items"]
    demo = next(e for e in items if e["label"] == "Dermatologue")
    assert demo["actual"] is not None
    assert demo["actual"]["totals"]["real_cost_cents"] > demo["totals"]["real_cost_cents"]
    assert any("montant facturé" in s for s in demo["actual"]["gap_explanation"])


def test_a_replay_creates_nothing_even_when_the_recorded_answer_is_lost(api):
    """Powertools records the answer after the creation; if that record is lost, the creation's
    own marker (written with it, in one transaction) still makes the replay answer the first."""
    import boto3

    same = idempotency()
    body = estimate_body(api, price_cents=4100, label="Une seule fois")
    first = api.post("/claims/estimates", body, headers=same)
    assert first.status == 201
    records = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["IdempotencyTable"])
    for item in records.scan()["Items"]:
        records.delete_item(Key={"id": item["id"]})
    again = api.post("/claims/estimates", body, headers=same)
    assert again.status == 201 and again.body["id"] == first.body["id"]
    labels = [e["label"] for e in api.get("/claims/estimates", query="limit=100").body["items"]]
    assert labels.count("Une seule fois") == 1


def test_storage_failure_is_a_503_with_nothing_written(api):
    from botocore.exceptions import EndpointConnectionError

    from tests.helpers import aws_calls

    before = len(api.get("/claims/estimates", query="limit=100").body["items"])

    def down(service, operation, params):
        if operation in ("PutItem", "TransactWriteItems"):
            return EndpointConnectionError(endpoint_url="https://dynamodb")
        return None

    body = estimate_body(api)
    with aws_calls(fail=down):
        r = api.post("/claims/estimates", body, headers=idempotency())
    assert r.status == 503 and r.headers.get("Retry-After")
    assert "Rien n'a été enregistré" in r.body["message"]
    assert len(api.get("/claims/estimates", query="limit=100").body["items"]) == before
