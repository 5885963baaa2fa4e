"""No input from a client produces a 5xx, and the API takes exactly what its document says
(defects found by a probe: each case failed before its fix)."""

import json

import pytest

from tests.helpers import idempotency
from tests.routes import estimate_body


def estimate(**over):
    return estimate_body(beneficiary_id="B01", **over)


def count_estimates(api):
    return len(api.get("/claims/estimates", query="limit=100").body["items"])


@pytest.mark.parametrize("care_date", ["0001-01-01", "0004-12-31", "0005-06-01", "1899-12-31"])
def test_an_estimate_in_year_one_is_refused_not_a_500(api, care_date):
    before = count_estimates(api)
    r = api.post("/claims/estimates", estimate(care_date=care_date), headers=idempotency())
    assert r.status == 400, r.body
    assert "care_date" in r.body["fields"]
    assert count_estimates(api) == before


def test_a_statement_from_year_one_is_refused_not_a_500(api):
    r = api.post("/claims/statements/exports", {"from": "0001-01-01", "to": "0001-12-31"})
    assert r.status == 400 and "from" in r.body["fields"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/xml",
                                          ""])
def test_a_body_that_is_not_json_is_415(api, content_type):
    before = count_estimates(api)
    r = api.post("/claims/estimates", json.dumps(estimate()),
                 headers={**idempotency(), "content-type": content_type})
    assert r.status == 415, r.body
    assert "JSON" in r.body["message"]
    assert count_estimates(api) == before


def test_json_with_a_charset_is_json(api):
    r = api.post("/claims/estimates", json.dumps(estimate()),
                 headers={**idempotency(), "content-type": "application/json; charset=utf-8"})
    assert r.status == 201


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000,
                                  '{"a":' * 1000 + "1" + "}" * 1000,
                                  json.dumps([estimate()]), "null", "3000", '"texte"',
                                  "{not json"])
def test_deep_array_scalar_or_broken_bodies_are_400(api, body):
    before = count_estimates(api)
    r = api.post("/claims/estimates", body, headers=idempotency())
    assert r.status == 400, r.body
    assert r.body["code"] == "invalid_body"
    assert count_estimates(api) == before


@pytest.mark.parametrize("field, value", [
    ("price_cents", True), ("price_cents", "3000"), ("price_cents", 30.5),
    ("quantity", "2"), ("quantity", True), ("care_pathway", "yes"), ("care_pathway", 1),
    ("care_date", 0), ("care_date", "0"), ("care_date", "26/11/2026"),
    ("practitioner", {"sector": True, "optam": True}),
    ("practitioner", {"sector": "2", "optam": True}),
    ("practitioner", {"sector": 1, "optam": "oui"}),
])
def test_inputs_have_strict_types(api, field, value):
    r = api.post("/claims/estimates", estimate(**{field: value}), headers=idempotency())
    assert r.status == 400, (field, value, r.body)


def test_a_date_in_the_query_is_written_as_a_date(api):
    assert api.get("/claims/acts", query="q=consultation&on=0").status == 400
    assert api.get("/claims", query="from=0").status == 400
    assert api.get("/claims/acts", query="q=consultation&on=2026-01-15").status == 200
    assert api.get("/claims/counters", query="year=1").status == 400


def test_a_path_id_is_checked_decoded_and_never_a_5xx(api):
    long_encoded = "%41" * 30  # "AAAA…" (30 chars) once decoded, 90 encoded
    assert api.get(f"/claims/estimates/{long_encoded}").status == 404
    assert api.get("/claims/estimates/" + "E" * 61).status == 404
    assert api.get("/claims/%00").status == 404


# Issue 20: sessions, need to know, « Qui a consulté mon dossier ».
ADVISOR = "conseiller@example.fr"


def _openings_count(api) -> int:
    return len(api.get("/members/me/accesses", query="limit=100").body["items"])


@pytest.mark.parametrize("query", [
    "reason=curiosity", "reason=", "reason=complaint&note=" + "x" * 201,
    "via=" + "x" * 121, "via=not a ref", "via=1_2_%00", "reason=other&note=%20%20",
])
def test_opening_a_file_with_bad_input_is_a_400_and_records_nothing(api, query):
    member = api.demo["members"]["fatima.l@example.fr"]["member_id"]
    before = _openings_count(api)
    r = api.get(f"/support/advisor/members/{member}", user=ADVISOR, query=query)
    assert r.status == 400, (query, r.body)
    assert r.body["message"]
    assert _openings_count(api) == before


@pytest.mark.parametrize("path", ["/support/advisor/members/" + "9" * 21,
                                  "/support/advisor/members/12%2F34",
                                  "/support/advisor/members/%00"])
def test_a_member_number_that_cannot_exist_is_a_404(api, path):
    r = api.get(path, user=ADVISOR, query="reason=complaint")
    assert r.status == 404, r.body


@pytest.mark.parametrize("path", ["/members/me/sessions/" + "a" * 61 + "/close",
                                  "/members/me/sessions/%00/close",
                                  "/members/me/sessions/..%2F/close"])
def test_closing_a_session_that_cannot_exist_is_a_404(api, path):
    assert api.post(path, {}).status == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "cursor=pas-un-curseur"])
def test_the_openings_list_takes_only_its_documented_query(api, query):
    r = api.get("/members/me/accesses", query=query)
    assert r.status == 400, (query, r.body)
