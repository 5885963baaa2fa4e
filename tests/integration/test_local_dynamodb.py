"""The local DynamoDB writes the answers of item operations as JSON itself (moto's generic
serializer took most of a test's time), and hands moto's Query only the items it may return
(moto walked the whole table): each answer must be exactly moto's own."""

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


def test_narrowed_queries_answer_as_moto_does(api, verified):
    """Pages and cursors, sort key prefixes and ranges, the beneficiaries' index, filters,
    oldest first, an advisor's queue: every Query answered as moto alone answers it."""
    first = api.get("/claims", query="limit=2")
    assert first.status == 200 and first.body["next"]
    second = api.get("/claims", query=f"limit=2&cursor={first.body['next']}")
    assert second.status == 200 and second.body["items"]
    assert {c["id"] for c in first.body["items"]}.isdisjoint(
        c["id"] for c in second.body["items"])
    me = api.get("/members/me").body
    for beneficiary in me["beneficiaries"]:
        assert api.get("/claims", query=f"beneficiary={beneficiary['id']}").status == 200
    assert api.get("/claims/counters").status == 200
    assert api.get("/claims/estimates").status == 200
    assert api.get("/support/requests").status == 200
    assert api.get("/support/threads").status == 200
    assert api.get("/documents").status == 200
    queue = api.get("/support/advisor/queue", user="conseiller@example.fr",
                    query="status=sent&limit=5")
    assert queue.status == 200, queue.body
    assert api.get("/services/places", query="postcode=69003&kind=optician").status == 200
    assert verified == []


def test_update_expressions_parsed_once_answer_as_moto_does(api):
    """An expression's tree is kept and reused (infra/local/dynamodb.py): the same text with
    other values writes the new values, and a clause used twice, at any depth of the
    expression, is still refused as DynamoDB refuses it."""
    import boto3
    from botocore.exceptions import ClientError

    ddb = boto3.client("dynamodb", region_name="eu-west-3")
    table, key = api.resources.names["Table"], {"pk": {"S": "TEST#parse"}, "sk": {"S": "ONE"}}
    text = "SET #a = :a, #b = :b REMOVE #c"
    for a, b in (("1", "un"), ("2", "deux")):
        ddb.update_item(TableName=table, Key=key, UpdateExpression=text,
                        ExpressionAttributeNames={"#a": "a", "#b": "b", "#c": "c"},
                        ExpressionAttributeValues={":a": {"N": a}, ":b": {"S": b}})
        item = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
        assert (item["a"], item["b"]) == ({"N": a}, {"S": b})
    for twice, clause, names in (
            ("SET #a = :a SET #b = :b", "SET", "ab"),
            ("REMOVE #c SET #a = :a, #b = :b REMOVE #d", "REMOVE", "abcd")):
        for _ in range(2):  # the second time from the kept tree
            with pytest.raises(ClientError) as refused:
                ddb.update_item(TableName=table, Key=key, UpdateExpression=twice,
                                ExpressionAttributeNames={f"#{n}": n for n in names},
                                ExpressionAttributeValues={":a": {"N": "3"}, ":b": {"S": "x"}})
            assert f'The "{clause}" section can only be used once' in str(refused.value)
    item = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    assert (item["a"], item["b"]) == ({"N": "2"}, {"S": "deux"})
