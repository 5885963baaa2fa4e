"""A member whose every contract has ended keeps, for five years, her documents, statements
and data export; every other route answers 403 saying when her contract ended and what she
can still do, and « /members/me » tells the site so."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from shared import clock
from tests.helpers import idempotency

PAUL = "paul.m@example.fr"


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def end_cover(api, user: str, days_ago: int) -> str:
    """Every contract of hers ends `days_ago` days before today (as a terminated Coverage
    writes it); answers the end date."""
    member = api.demo["members"][user]["member_id"]
    end = (clock.today() - timedelta(days=days_ago)).isoformat()
    contracts = table(api).query(KeyConditionExpression=Key("pk").eq(f"MEMBER#{member}")
                                 & Key("sk").begins_with("FILE#CONTRACT#"))["Items"]
    assert contracts
    for item in contracts:
        table(api).update_item(Key={"pk": item["pk"], "sk": item["sk"]},
                               UpdateExpression="SET end_date = :e",
                               ExpressionAttributeValues={":e": end})
    return end


@pytest.fixture()
def ended(api):
    member = api.demo["members"][PAUL]["member_id"]
    saved = table(api).query(KeyConditionExpression=Key("pk").eq(f"MEMBER#{member}")
                             & Key("sk").begins_with("FILE#CONTRACT#"))["Items"]
    yield
    for item in saved:
        table(api).put_item(Item=item)


def test_on_her_last_day_everything_is_still_open(api, ended):
    end_cover(api, PAUL, 0)
    assert api.get("/claims", user=PAUL).status == 200
    assert api.get("/members/me", user=PAUL).body["access"]["closed"] is False


def test_the_day_after_only_her_documents_statements_and_export_remain(api, ended):
    end = end_cover(api, PAUL, 1)
    me = api.get("/members/me", user=PAUL)
    assert me.status == 200
    access = me.body["access"]
    assert access["closed"] is True and access["ended_on"] == end
    assert "documents" in access["message"]

    documents = api.get("/documents", user=PAUL)
    assert documents.status == 200, documents.body
    if documents.body["items"]:
        link = api.get(f"/documents/{documents.body['items'][0]['id']}/link", user=PAUL)
        assert link.status == 200, link.body
    assert api.get("/claims/statements", user=PAUL).status == 200
    year = clock.today().year - 1
    statement = api.post("/claims/statements/exports",
                         {"from": f"{year}-01-01", "to": f"{year}-12-31"}, user=PAUL)
    assert statement.status == 201, statement.body
    export = api.post("/members/me/exports", {}, headers=idempotency(), user=PAUL)
    assert export.status in (201, 202), export.body

    from datetime import date

    from shared.dates import fr_date_long

    said = fr_date_long(date.fromisoformat(end))  # « 6 décembre 2026 »
    for method, path, body in [
            ("GET", "/claims", None), ("GET", "/contract", None),
            ("GET", "/contract/card", None), ("GET", "/members/profile", None),
            ("POST", "/support/requests/other", {
                "category": "other", "subject": "Une question", "message": "Bonjour"}),
            ("POST", "/documents/attestations", {})]:
        refused = api.call(method, path, user=PAUL, body=body, headers=idempotency())
        assert refused.status == 403, (path, refused.body)
        assert refused.body["code"] == "contract_ended"
        message = refused.body["message"]
        assert f"Votre contrat a pris fin le {said}" in message
        assert "documents" in message and "relevés" in message, message


def test_five_years_after_the_end_even_documents_are_closed(api, ended):
    end_cover(api, PAUL, 5 * 366 + 2)
    refused = api.get("/documents", user=PAUL)
    assert refused.status == 403 and refused.body["code"] == "access_expired"
    me = api.get("/members/me", user=PAUL)
    assert me.status == 403 and "contactez votre mutuelle" in me.body["message"]


def test_another_member_is_not_concerned(api, ended):
    end_cover(api, PAUL, 1)
    assert api.get("/claims").status == 200
