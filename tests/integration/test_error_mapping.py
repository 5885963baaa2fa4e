"""Engine errors become HTTP in the one place errors are mapped: what the member can fix is a
422 naming the field, an inconsistency of our own is a logged 500 that never blames her."""

from engine import InvalidBeneficiaryError, RulesDataError
from tests.helpers import idempotency, plain
from tests.routes import estimate_body


def estimate(api, **over):
    body = estimate_body(**{"beneficiary_id": "B01",
                            "practitioner": {"sector": 1, "optam": True}, **over})
    return api.post("/claims/estimates", body, headers=idempotency())


def test_a_fixable_engine_refusal_is_a_422_naming_the_field(api):
    r = estimate(api, care_date="1990-01-01")
    assert r.status == 422
    assert set(r.body["fields"]) == {"care_date"}
    assert r.body["message"] == r.body["fields"]["care_date"]
    r = estimate(api, act_code="CS", practitioner={"sector": 2, "optam": True}, quantity=400)
    assert r.status == 400 and "quantity" in r.body["fields"]


def test_an_internal_rules_error_is_a_500_that_does_not_blame_the_member(api, monkeypatch):
    import engine

    def broken(*args, **kwargs):
        raise RulesDataError("rules_overlap", "Deux versions se chevauchent.", field="act_code")

    monkeypatch.setattr(engine, "compute", broken)
    r = estimate(api)
    assert r.status == 500
    assert "fields" not in r.body
    assert "chevauchent" not in r.body["message"]
    assert "Réessayez" in plain(r.body["message"])


def test_counters_map_engine_errors_like_every_route(api, monkeypatch):
    import engine

    def refused(*args, **kwargs):
        raise InvalidBeneficiaryError("care_before_birth", "Ce soin précède la naissance.",
                                      field="care_date")

    monkeypatch.setattr(engine, "counters", refused)
    r = api.get("/claims/counters")
    assert r.status == 422
    assert r.body["code"] == "care_before_birth"

    def inconsistent(*args, **kwargs):
        raise RulesDataError("formula_gap", "Aucune version de la formule.")

    monkeypatch.setattr(engine, "counters", inconsistent)
    r = api.get("/claims/counters")
    assert r.status == 500 and r.body["code"] == "internal_error"


def test_every_answer_forbids_caching_personal_data(api):
    for path in ("/members/me", "/claims", "/claims/estimates", "/claims/does-not-exist"):
        r = api.get(path)
        assert r.headers.get("Cache-Control") == "no-store", path
