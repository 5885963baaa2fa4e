"""POST /public/estimates: the tutorial's discovery mode estimates without an account. The
engine only: no token asked, nothing read from or written to storage, the same figures as a
member's estimate for the same person, bad input refused in French; held to a low rate (the
gateway's route throttling, enforced by the local stack too)."""

import json
import urllib.error
import urllib.request

from infra.local import template
from tests.helpers import aws_calls, idempotency
from tests.routes import public_estimate_body


def public(api, body):
    return api.call("POST", "/public/estimates", body=body, claims={})


def test_a_visitor_gets_the_same_figures_as_the_member_and_nothing_is_stored(api):
    me = api.get("/members/me").body
    ines = next(b for b in me["beneficiaries"] if b["id"] == "B03")
    body = {**public_estimate_body(), "birth_date": ines["birth_date"],
            "practitioner": {"sector": 1, "optam": True}}
    with aws_calls() as calls:
        answer = public(api, body)
    assert answer.status == 200, answer.body
    assert calls == [], "the public estimate must not touch storage"
    assert answer.headers.get("Cache-Control") == "no-store"
    assert set(answer.body) == {"act_code", "act_label", "category", "care_date",
                                "price_cents", "quantity", "lines", "totals", "situations",
                                "notes"}
    member = api.post("/claims/estimates", {k: v for k, v in body.items()
                                            if k not in ("formula_id", "birth_date")},
                      headers=idempotency())
    assert member.status == 201, member.body
    assert answer.body["totals"] == member.body["totals"]
    assert answer.body["act_label"] == member.body["act_label"]


def test_bad_public_estimates_are_refused_in_french(api):
    base = public_estimate_body()
    cases = [
        ({**base, "formula_id": "platine"}, 400, "formule"),
        ({**base, "birth_date": "2099-01-01"}, 400, "naissance"),
        ({**base, "price_cents": -5}, 400, None),
        ({**base, "act_code": "NOPE"}, 422, None),
        ({k: v for k, v in base.items() if k != "formula_id"}, 400, None),
        ({**base, "member_id": "2024001871"}, 400, None),
    ]
    for body, status, word in cases:
        answer = public(api, body)
        assert answer.status == status, (body, answer.body)
        assert answer.body["message"], answer.body
        if word:
            assert word in answer.body["message"].lower()


def test_the_route_is_throttled_as_the_template_says():
    assert template.route_throttles()["POST /public/estimates"] == (10, 5.0)


def test_the_local_stack_throttles_it_too(local_stack):
    body = json.dumps(public_estimate_body()).encode()
    statuses = []
    for _ in range(25):
        request = urllib.request.Request(local_stack.base_url + "/api/public/estimates",
                                         data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                statuses.append(r.status)
        except urllib.error.HTTPError as e:
            statuses.append(e.code)
    assert statuses[0] == 200
    assert 429 in statuses, statuses
    assert set(statuses) <= {200, 429}
