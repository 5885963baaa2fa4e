"""Storage of reimbursements, estimates, requests and uploads. Only this module touches boto3
for the claims function (through the shared table access base)."""

from __future__ import annotations

import re
from datetime import date

from claims.models import ClaimItem, EstimateItem, ReimbursementRequestItem
from shared.ids import created_of
from shared.repository import (
    delete_existing,
    get_item,
    presigned_get,
    put_object,
    query_all,
    query_page,
    transact,
)

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


# ----------------------------------------------------------------------------- estimates
def estimate_to_item(member_pk: str, estimate: EstimateItem) -> dict:
    item = estimate.model_dump(mode="json")
    item.update(pk=member_pk, sk=estimate_sk(estimate.id), type="estimate")
    return item


def put_estimate(member_pk: str, estimate: EstimateItem, marker: list[dict]) -> None:
    """The estimate and its idempotency marker, all or nothing."""
    transact([{"put": estimate_to_item(member_pk, estimate)}, *marker])


def list_estimates(member_pk: str, cursor: str | None, limit: int
                   ) -> tuple[list[EstimateItem], str | None]:
    items, nxt = query_page(partition=("pk", member_pk), sort_prefix="EST#", cursor=cursor,
                            limit=limit)
    return [EstimateItem.model_validate(i) for i in items], nxt


def estimate_sk(estimate_id: str) -> str:
    return f"EST#{created_of(estimate_id, 'E')}#{estimate_id}"


def get_estimate(member_pk: str, estimate_id: str) -> EstimateItem | None:
    if not created_of(estimate_id, "E"):
        return None
    item = get_item(member_pk, estimate_sk(estimate_id))
    return EstimateItem.model_validate(item) if item else None


def delete_estimate(member_pk: str, estimate_id: str) -> bool:
    """Delete the member's own estimate; False when there is none with this id."""
    if not created_of(estimate_id, "E"):
        return False
    return delete_existing(member_pk, estimate_sk(estimate_id))


def claims_of_beneficiary(member_pk: str, beneficiary_id: str, date_from: date,
                          date_to: date) -> list[ClaimItem]:
    items = query_all(partition=("gsi1pk", f"{member_pk}#BENEF#{beneficiary_id}"),
                      sort_key_name="gsi1sk", index=BENEF_INDEX,
                      sort_between=(f"CLAIM#{date_from.isoformat()}",
                                    f"CLAIM#{date_to.isoformat()}#~"))
    return [ClaimItem.model_validate(i) for i in items]


# ----------------------------------------------------------------------------- requests
def request_sk(req: ReimbursementRequestItem) -> str:
    return f"REQ#{created_of(req.id, 'R')}#{req.id}"


def _request_queue(status: str) -> str:
    return f"QUEUE#gestion#{status}"


def create_request(member_pk: str, req: ReimbursementRequestItem,
                   attach: list[dict]) -> None:
    """The request, its documents' attachment and its idempotency marker (`attach`
    operations), all or nothing."""
    item = req.model_dump(mode="json")
    item.update(pk=member_pk, sk=request_sk(req), type="request",
                gsi2pk=_request_queue(req.status), gsi2sk=f"{created_of(req.id, 'R')}#{req.id}")
    transact([{"put": item}, *attach])


def list_requests(member_pk: str, cursor: str | None, limit: int
                  ) -> tuple[list[ReimbursementRequestItem], str | None]:
    items, nxt = query_page(partition=("pk", member_pk), sort_prefix="REQ#", cursor=cursor,
                            limit=limit)
    return [ReimbursementRequestItem.model_validate(i) for i in items], nxt


def get_request(member_pk: str, request_id: str) -> ReimbursementRequestItem | None:
    created = created_of(request_id, "R")
    if not created:
        return None
    item = get_item(member_pk, f"REQ#{created}#{request_id}")
    return ReimbursementRequestItem.model_validate(item) if item else None


def pending_requests(limit: int = 100) -> list[tuple[str, ReimbursementRequestItem]]:
    items, _ = query_page(partition=("gsi2pk", _request_queue("received")),
                          sort_key_name="gsi2sk", index="AdvisorQueue", limit=limit,
                          newest_first=False)
    return [(i["pk"], ReimbursementRequestItem.model_validate(i)) for i in items]


def complete_request(member_pk: str, req: ReimbursementRequestItem, claim: ClaimItem) -> None:
    """The reimbursement and the request's new status, all or nothing."""
    transact([
        {"put": claim_to_item(member_pk, claim)},
        {"update": {"key": {"pk": member_pk, "sk": request_sk(req)},
                    "set": {"status": req.status, "history": [h.model_dump(mode="json")
                                                              for h in req.history],
                            "claim_id": claim.id, "gsi2pk": _request_queue(req.status)},
                    "condition": ("status", "received")}},
    ])


# ----------------------------------------------------------------------------- exports
def store_export(key: str, data: bytes, content_type: str, filename: str,
                 seconds: int) -> str:
    put_object(key, data, content_type)
    return presigned_get(key, seconds, filename=filename, content_type=content_type)
