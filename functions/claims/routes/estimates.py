"""Routes of « Demander une estimation » and « Mes estimations »."""

from claims.logic import estimates
from claims.models import EstimateIn, EstimateOut, PublicEstimateIn, PublicEstimateOut
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
    no_content,
)

router = Router()


@router.post("/claims/estimates", responses=created_as(EstimateOut, "Estimation enregistrée"))
def create_estimate(who: CurrentCaller, body: EstimateIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="estimate", key=key, body=body,
                       output=EstimateOut, create=lambda: estimates.create_estimate(who, body, key))


@router.get("/claims/estimates")
def list_estimates(who: CurrentCaller, cursor: Cursor = None,
                   limit: Limit = 20) -> Page[EstimateOut]:
    return estimates.list_estimates(who, cursor, limit)


@router.get("/claims/estimates/<estimate_id>")
def get_estimate(who: CurrentCaller, estimate_id: PathId) -> EstimateOut:
    return estimates.get_estimate(who, estimate_id)


@router.delete("/claims/estimates/<estimate_id>",
               responses={204: {"description": "Estimation supprimée"}})
def delete_estimate(who: CurrentCaller, estimate_id: PathId):
    estimates.delete_estimate(who, estimate_id)
    return no_content()


@router.post("/public/estimates", security=[],
             responses={200: {"description": "Estimation calculée (rien n'est enregistré)"}})
def public_estimate(body: PublicEstimateIn) -> PublicEstimateOut:
    """Without an account (the tutorial's discovery mode): the engine only, nothing stored."""
    return estimates.public_estimate(body)
