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
