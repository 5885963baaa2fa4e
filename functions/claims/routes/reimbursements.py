"""Routes of « Mes remboursements »: décomptes, the acts catalogue, the yearly counters."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from claims.logic import disputes, reimbursements
from claims.models import (
    ActOut,
    BeneficiaryCounters,
    ClaimDetail,
    ClaimSummary,
    DisputeIn,
    DisputeOut,
)
from shared.http import (
    CurrentCaller,
    Cursor,
    IdempotencyKey,
    Limit,
    Page,
    PathId,
    Router,
    create_once,
    created_as,
)
from shared.inputs import IsoDate

router = Router()


@router.get("/claims")
def list_claims(
    who: CurrentCaller,
    date_from: Annotated[IsoDate | None, Query(alias="from")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to")] = None,
    beneficiary: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[ClaimSummary]:
    return reimbursements.list_claims(who, date_from=date_from, date_to=date_to,
                                      beneficiary_id=beneficiary, cursor=cursor, limit=limit)


@router.get("/claims/acts")
def search_acts(who: CurrentCaller,
                q: Annotated[str, Query(min_length=1, max_length=80)] = "",
                on: Annotated[IsoDate | None, Query()] = None) -> Page[ActOut]:
    return reimbursements.search_acts(q, on)


@router.get("/claims/counters")
def counters(who: CurrentCaller,
             year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
             ) -> Page[BeneficiaryCounters]:
    return reimbursements.counters(who, year)


@router.post("/claims/<claim_id>/dispute",
             responses=created_as(DisputeOut, "Signalement envoyé (ou celui déjà fait)"))
def dispute_payment(who: CurrentCaller, claim_id: PathId, body: DisputeIn,
                    key: IdempotencyKey):
    """« Je ne reconnais pas ce paiement »: one report per payment."""
    return create_once(router, who=who, operation=f"dispute_{claim_id}", key=key, body=body,
                       output=DisputeOut,
                       create=lambda: disputes.dispute(who, claim_id, body, key))


# Registered last: /claims/<claim_id> would otherwise catch /claims/acts and the others.
@router.get("/claims/<claim_id>")
def get_claim(who: CurrentCaller, claim_id: PathId) -> ClaimDetail:
    return reimbursements.get_claim(who, claim_id)
