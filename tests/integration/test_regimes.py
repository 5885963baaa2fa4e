"""The beneficiary's regime and situations are facts of her file: seeded for the demo family,
shown on her profile, used by estimates and reimbursements (issue 8)."""

from datetime import timedelta

import requests

from shared import clock
from tests.helpers import idempotency, process, sample_pdf

PAUL = "paul.m@example.fr"


def me(api, user="fatima.l@example.fr"):
    return {b["first_name"]: b for b in api.get("/members/me", user=user).body["beneficiaries"]}


def estimate(api, user="fatima.l@example.fr", **over):
    body = {"beneficiary_id": "B01", "act_code": "G", "care_date": clock.today().isoformat(),
            "price_cents": 3000}
    body.update(over)
    return api.post("/claims/estimates", body, user=user,
                    headers=idempotency())


def test_each_regime_is_on_a_real_member(api):
    family = me(api)
    assert family["Fatima"]["situation"]["maternity"] is not None
    assert [a["label"] for a in family["Karim"]["situation"]["ald"]] == ["Diabète de type 2"]
    assert family["Inès"]["situation"] == {"regime": "general", "regime_label":
                                           "Régime général", "ald": [], "c2s": None,
                                           "ame": None, "maternity": None}
    paul = me(api, PAUL)["Paul"]["situation"]
    assert paul["regime"] == "alsace_moselle" and paul["c2s"] is not None
    situations = {s for c in api.get("/claims", query="limit=100").body["items"]
                  for s in api.get(f"/claims/{c['id']}").body["situations"]}
    assert {"ald", "maternity", "work_accident"} <= situations


def test_care_linked_to_an_ald_is_paid_in_full_by_the_securite_sociale(api):
    r = estimate(api, beneficiary_id="B02", ald_related=True)
    assert r.status == 201, r.body
    t = r.body["totals"]
    assert t["social_security_cents"] == 3000 - 200  # 100 % of €30, participation still due
    assert t["mutual_cents"] == 0 and t["out_of_pocket_cents"] == 200
    assert "ald" in r.body["situations"]
    assert any("ALD" in ln["explanation"] for ln in r.body["lines"])


def test_ald_for_someone_without_one_is_refused_on_the_field(api):
    r = estimate(api, beneficiary_id="B03", ald_related=True)
    assert r.status == 422 and set(r.body["fields"]) == {"ald_related"}


def test_maternity_cover_takes_nothing_back(api):
    r = estimate(api, beneficiary_id="B01")
    assert r.status == 201
    assert r.body["totals"]["deductibles_cents"] == 0
    assert r.body["totals"]["out_of_pocket_cents"] == 0
    assert "maternity" in r.body["situations"]


def test_c2s_refuses_extra_fees_and_pays_the_tariff(api):
    r = estimate(api, user=PAUL, act_code="CS", price_cents=6000,
                 practitioner={"sector": 2, "optam": False})
    assert r.status == 422 and "price_cents" in r.body["fields"]
    r = estimate(api, user=PAUL)
    assert r.status == 201 and r.body["totals"]["out_of_pocket_cents"] == 0


def test_an_estimate_and_the_processed_request_of_the_same_care_agree(api):
    care_date = (clock.today() - timedelta(days=1)).isoformat()
    care = {"beneficiary_id": "B02", "act_code": "G", "care_date": care_date,
            "ald_related": True}
    est = estimate(api, price_cents=3000, **care).body
    t = api.post("/support/uploads", {"filename": "f.pdf", "content_type": "application/pdf",
                                     "size": len(sample_pdf())}).body
    requests.post(t["url"], data=t["fields"], files={"file": ("f.pdf", sample_pdf())},
                  timeout=10)
    assert api.post(f"/support/uploads/{t['id']}/confirm").status == 200
    req = api.post("/support/requests/reimbursement",
                   {**care, "amount_cents": 3000, "upload_ids": [t["id"]]},
                   headers=idempotency()).body
    claim_id = process(api, req)["claim_id"]
    claim = api.get(f"/claims/{claim_id}").body
    for key in ("real_cost_cents", "social_security_cents", "mutual_cents",
                "out_of_pocket_cents"):
        assert claim[key] == est["totals"][key], key
    assert claim["situations"] == est["situations"]
