"""Storage of reimbursements, estimates, requests and uploads. Only this module touches boto3
for the claims function (through the shared table access base)."""

from __future__ import annotations

import re
from datetime import date

from shared.repository import get_item, query_all, query_page

from claims.models import ClaimItem

CLAIM_ID = re.compile(r"^C(\d{8})-[0-9a-f]{8}$")
BENEF_INDEX = "ByBeneficiary"


def claim_sk(claim_id: str, care_date: date) -> str:
    return f"CLAIM#{care_date.isoformat()}#{claim_id}"


def care_date_of(claim_id: str) -> date | None:
    match = CLAIM_ID.match(claim_id)
    if not match:
        return None
    raw = match.group(1)
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def claim_to_item(member_pk: str, claim: ClaimItem) -> dict:
    item = claim.model_dump(mode="json")
    item.update(pk=member_pk, sk=claim_sk(claim.id, claim.care_date), type="claim",
                gsi1pk=f"{member_pk}#BENEF#{claim.beneficiary_id}",
                gsi1sk=claim_sk(claim.id, claim.care_date))
    return item


def list_claims(member_pk: str, *, date_from: date, date_to: date, beneficiary_id: str | None,
                cursor: str | None, limit: int) -> tuple[list[ClaimItem], str | None]:
    between = (f"CLAIM#{date_from.isoformat()}", f"CLAIM#{date_to.isoformat()}#~")
    if beneficiary_id:
        items, nxt = query_page(partition=("gsi1pk", f"{member_pk}#BENEF#{beneficiary_id}"),
                                sort_key_name="gsi1sk", index=BENEF_INDEX,
                                sort_between=between, cursor=cursor, limit=limit)
    else:
        items, nxt = query_page(partition=("pk", member_pk), sort_between=between,
                                cursor=cursor, limit=limit)
    return [ClaimItem.model_validate(i) for i in items], nxt


def get_claim(member_pk: str, claim_id: str) -> ClaimItem | None:
    care_date = care_date_of(claim_id)
    if care_date is None:
        return None
    item = get_item(member_pk, claim_sk(claim_id, care_date))
    return ClaimItem.model_validate(item) if item else None


def claims_between(member_pk: str, date_from: date, date_to: date) -> list[ClaimItem]:
    items = query_all(partition=("pk", member_pk),
                      sort_between=(f"CLAIM#{date_from.isoformat()}",
                                    f"CLAIM#{date_to.isoformat()}#~"))
    return [ClaimItem.model_validate(i) for i in items]
