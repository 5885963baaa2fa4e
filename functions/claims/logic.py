"""Rules of « Mes remboursements »: listing and reading décomptes."""

from __future__ import annotations

from datetime import date, timedelta

from shared.dates import today_paris
from shared.errors import BadRequest, NotFound
from shared.identity import Caller

from claims import repository
from claims.models import STATUS_LABELS, ClaimDetail, ClaimItem, ClaimPage, ClaimSummary

DEFAULT_HISTORY_DAYS = 366 * 3


def summary(claim: ClaimItem) -> ClaimSummary:
    return ClaimSummary(**claim.model_dump(include=set(ClaimSummary.model_fields)),
                        status_label=STATUS_LABELS[claim.status])


def list_claims(caller: Caller, *, date_from: date | None, date_to: date | None,
                beneficiary_id: str | None, cursor: str | None, limit: int) -> ClaimPage:
    today = today_paris()
    date_to = date_to or today
    date_from = date_from or (date_to - timedelta(days=DEFAULT_HISTORY_DAYS))
    if date_from > date_to:
        raise BadRequest("La date de début doit précéder la date de fin.",
                         code="invalid_period", fields={"from": "après la date de fin"})
    items, nxt = repository.list_claims(caller.member_pk, date_from=date_from, date_to=date_to,
                                        beneficiary_id=beneficiary_id, cursor=cursor,
                                        limit=limit)
    return ClaimPage(items=[summary(c) for c in items], next=nxt)


def get_claim(caller: Caller, claim_id: str) -> ClaimDetail:
    claim = repository.get_claim(caller.member_pk, claim_id)
    if claim is None:
        raise NotFound("Ce remboursement est introuvable.")
    return ClaimDetail(**claim.model_dump(include=set(ClaimDetail.model_fields)),
                       status_label=STATUS_LABELS[claim.status])
