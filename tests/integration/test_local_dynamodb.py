"""The local DynamoDB writes the answers of item operations as JSON itself (moto's generic
serializer took most of a test's time): each answer must be exactly moto's own."""

import pytest

from infra.local import dynamodb
from tests.helpers import idempotency
from tests.routes import estimate_body


@pytest.fixture
def verified():
    dynamodb.VERIFY, dynamodb.MISMATCHES[:] = True, []
    yield dynamodb.MISMATCHES
    dynamodb.VERIFY = False


def test_fast_answers_are_motos_own(api, verified):
    page = api.get("/claims", query="limit=100")
    assert page.status == 200 and page.body["items"]
    assert api.get(f"/claims/{page.body['items'][0]['id']}").status == 200
    assert api.get("/members/me").status == 200
    assert api.get("/contract/contributions").status == 200
    assert api.get("/documents").status == 200
    me = api.get("/members/me").body
    made = api.post("/claims/estimates", estimate_body(
        beneficiary_id=me["beneficiaries"][0]["id"], practitioner={"sector": 1, "optam": True}),
        headers=idempotency())
    assert made.status == 201, made.body
    assert api.call("DELETE", f"/claims/estimates/{made.body['id']}").status == 204
    assert api.get(f"/claims/estimates/{made.body['id']}").status == 404
    assert verified == []
