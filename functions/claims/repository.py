"""Storage of reimbursements' pages, estimates and statement files for the claims function
(through the shared table access base; reimbursements' shape and reads are in
domain.reimbursement)."""

from __future__ import annotations

from datetime import date

from claims.models import EstimateItem
from domain.reimbursement import (
    BENEF_INDEX,
    ClaimItem,
    care_date_of,
    claim_sk,
    claims_between,
    claims_of_beneficiary,
    get_claim,
)
from shared.ids import created_of
from shared.repository import (
    batch_get,
    delete_existing,
    get_item,
    presigned_get,
    query_all,
    query_page,
    transact,
)

__all__ = ["claims_between", "claims_of_beneficiary", "get_claim"]


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




# ----------------------------------------------------------------------------- exports
def file_link(key: str, seconds: int, filename: str, content_type: str) -> str:
    return presigned_get(key, seconds, filename=filename, content_type=content_type)


# ----------------------------------------------------------------------------- notices
NOTICE = "NOTICE#"
DISPUTE = "DISPUTE#"
DIGEST = "DIGEST#"
NOTICES_INDEX = "PendingNotices"
NOTICE_SHARDS = 16


def notice_key(member_pk: str, claim_id: str) -> dict:
    return {"pk": member_pk, "sk": f"{NOTICE}{claim_id}"}


def unseen_notices(member_pk: str) -> list[dict]:
    """Her payment notices not seen yet (a notice is deleted once seen: few are ever here)."""
    return query_all(partition=("pk", member_pk), sort_prefix=NOTICE)


def claim_with_marks(member_pk: str, claim_id: str
                     ) -> tuple[ClaimItem | None, dict | None, dict | None]:
    """The claim, its unseen notice and her report of it (« paiement non reconnu »), in one
    call."""
    care_date = care_date_of(claim_id)
    if care_date is None:
        return None, None, None
    items = {i["sk"]: i for i in batch_get([(member_pk, claim_sk(claim_id, care_date)),
                                            (member_pk, f"{NOTICE}{claim_id}"),
                                            (member_pk, f"{DISPUTE}{claim_id}")])}
    claim = items.get(claim_sk(claim_id, care_date))
    return (ClaimItem.model_validate(claim) if claim else None,
            items.get(f"{NOTICE}{claim_id}"), items.get(f"{DISPUTE}{claim_id}"))


def delete_notices(member_pk: str, claim_ids: list[str]) -> None:
    """Seen: the notices go (deleting one already gone changes nothing)."""
    for start in range(0, len(claim_ids), 100):
        transact([{"delete": {"key": notice_key(member_pk, claim_id)}}
                  for claim_id in claim_ids[start:start + 100]])


def all_estimates(member_pk: str) -> list[EstimateItem]:
    return [EstimateItem.model_validate(i)
            for i in query_all(partition=("pk", member_pk), sort_prefix="EST#")]


def pending_notices(shard: int) -> list[dict]:
    """The notices of one shard not emailed yet, oldest payment first."""
    return query_all(partition=("gsi3pk", f"NOTICES#{shard}"), sort_key_name="gsi3sk",
                     index=NOTICES_INDEX)


def profile_of(member_id: str) -> dict | None:
    return get_item(f"MEMBER#{member_id}", "FILE#PROFILE")


def write(operations: list[dict]) -> None:
    transact(operations)


# ----------------------------------------------------------------------------- overpayments
def overpayments(member_pk: str) -> list[dict]:
    from domain.overpayments import PREFIX

    return query_all(partition=("pk", member_pk), sort_prefix=PREFIX)


def overpayment_and_claim(member_pk: str, overpayment_id: str,
                          claim_id: str | None = None) -> list[dict]:
    """The overpayment, read consistently (she is about to act on it)."""
    from domain.overpayments import sk

    return [i for i in [get_item(member_pk, sk(overpayment_id), consistent=True)] if i]
