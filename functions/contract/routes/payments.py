"""Routes of card payments of late instalments, and the provider's notification (public: the
provider has no account; its signature is what authenticates it)."""


from aws_lambda_powertools.event_handler.request import Request

from contract.logic import payments
from contract.models import NotificationAck, PaymentIn, PaymentOut
from shared import clock
from shared.http import CurrentCaller, IdempotencyKey, PathId, Router, create_once, created_as

router = Router()


@router.post("/contract/payments",
             responses=created_as(PaymentOut, "Paiement ouvert : page de paiement à suivre"))
def start_payment(who: CurrentCaller, body: PaymentIn, key: IdempotencyKey):
    return create_once(router, who=who, operation=payments.OPERATION, key=key, body=body,
                       output=PaymentOut,
                       create=lambda: payments.start(who, body, key, clock.now()))


@router.get("/contract/payments/<payment_id>")
def get_payment(who: CurrentCaller, payment_id: PathId) -> PaymentOut:
    return payments.get_payment(who, payment_id, clock.now())


@router.post("/public/payments/notifications", security=[])
def payment_notification(request: Request) -> NotificationAck:
    # The signature covers the raw bytes: read them as sent, before any parsing.
    raw = request.resolved_event.decoded_body or ""
    return payments.notified(request.headers, raw.encode(), clock.now())
