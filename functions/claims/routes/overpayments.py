"""Routes of trop-perçus in « Mes remboursements »: read them, ask for instalments, contest."""

from claims.logic import overpayments
from claims.models import (
    OverpaymentContestIn,
    OverpaymentDetail,
    OverpaymentInstalmentsIn,
    OverpaymentOut,
    OverpaymentRequestOut,
)
from shared.http import (
    CurrentCaller,
    IdempotencyKey,
    Page,
    PathId,
    Router,
    create_once,
    created_as,
)

router = Router()


@router.get("/claims/overpayments")
def list_overpayments(who: CurrentCaller) -> Page[OverpaymentOut]:
    return Page[OverpaymentOut](items=overpayments.list_overpayments(who), next=None)


@router.get("/claims/overpayments/<overpayment_id>")
def get_overpayment(who: CurrentCaller, overpayment_id: PathId) -> OverpaymentDetail:
    return overpayments.get_overpayment(who, overpayment_id)


@router.post("/claims/overpayments/<overpayment_id>/instalments",
             responses=created_as(OverpaymentRequestOut, "Demande d'échéancier envoyée"))
def request_instalments(who: CurrentCaller, overpayment_id: PathId,
                        body: OverpaymentInstalmentsIn, key: IdempotencyKey):
    return create_once(router, who=who, operation=f"overpay_instalments_{overpayment_id}",
                       key=key, body=body, output=OverpaymentRequestOut,
                       create=lambda: overpayments.request_instalments(
                           who, overpayment_id, body, key))


@router.post("/claims/overpayments/<overpayment_id>/contest",
             responses=created_as(OverpaymentRequestOut, "Contestation envoyée"))
def contest(who: CurrentCaller, overpayment_id: PathId, body: OverpaymentContestIn,
            key: IdempotencyKey):
    return create_once(router, who=who, operation=f"overpay_contest_{overpayment_id}",
                       key=key, body=body, output=OverpaymentRequestOut,
                       create=lambda: overpayments.contest(who, overpayment_id, body, key))
