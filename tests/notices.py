"""Payment notices as the ingest writes them (h19 contract: `NOTICE#<claim id>` with the
sparse keys of the PendingNotices index), for the tests that need a new payment before the
ingest writes them itself."""

from __future__ import annotations

from typing import Any


def notice_item(member_id: str, claim: dict[str, Any], first_name: str,
                paid_on: str | None = None) -> dict[str, Any]:
    paid_on = paid_on or claim["payment_date"]
    return {
        "pk": f"MEMBER#{member_id}", "sk": f"NOTICE#{claim['id']}", "type": "payment_notice",
        "claim_id": claim["id"], "care_date": claim["care_date"], "paid_on": paid_on,
        "amount_cents": claim["mutual_cents"], "beneficiary_first_name": first_name,
        "emailed": False, "seen": False,
        "gsi3pk": f"NOTICES#{int(member_id) % 16}",
        "gsi3sk": f"{paid_on}#{member_id}#{claim['id']}",
    }


def stack_table(running: Any) -> Any:
    """The data table of a running local stack (tests.stack.RunningStack)."""
    import boto3

    return boto3.resource("dynamodb", endpoint_url=running.moto_url, region_name="eu-west-3",
                          aws_access_key_id="local", aws_secret_access_key="local").Table(
        running.resources.names["Table"])


def set_end_date(table: Any, member_id: str, end: str | None) -> None:
    """Every contract of the member ends on `end` (as a terminated Coverage writes it), or
    runs on (None)."""
    found = table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
                        ExpressionAttributeValues={":pk": f"MEMBER#{member_id}",
                                                   ":p": "FILE#CONTRACT#"})["Items"]
    for item in found:
        key = {"pk": item["pk"], "sk": item["sk"]}
        if end is None:
            table.update_item(Key=key, UpdateExpression="REMOVE end_date")
        else:
            table.update_item(Key=key, UpdateExpression="SET end_date = :e",
                              ExpressionAttributeValues={":e": end})
