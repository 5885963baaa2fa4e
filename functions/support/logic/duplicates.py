"""The same reimbursement request sent twice: the same person, care, care date and amount.
The member is warned before she sends it (she may still send: two sessions the same day are
two cares), and the advisor sees the earlier one beside it."""

from __future__ import annotations

from domain.requests import RequestItem

CareKey = tuple[str | None, str | None, str | None, int | None]


def care_key(request: RequestItem) -> CareKey | None:
    if request.kind != "reimbursement":
        return None
    care = request.payload.get("care") or {}
    return (care.get("beneficiary_id"), care.get("act_code"), care.get("care_date"),
            request.payload.get("amount_cents"))


def likely_duplicates(key: CareKey | None, requests: list[RequestItem], *,
                      besides: str | None = None) -> list[RequestItem]:
    """The requests for the same care, newest first; a refused one is not counted (sending it
    again is what the refusal may have asked for)."""
    if key is None:
        return []
    return [r for r in requests
            if r.id != besides and r.status != "refused" and care_key(r) == key]
