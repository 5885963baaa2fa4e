"""Routes of call-backs: slots advisors open, bookings members make."""

from shared.http import (
    CurrentCaller,
    Cursor,
    IdempotencyKey,
    Limit,
    Page,
    PathId,
    Router,
    create_once,
    created,
    created_as,
)
from support.logic import callbacks
from support.models import AdvisorSlotOut, CallbackIn, CallbackOut, SlotOut, SlotsIn

router = Router()


@router.get("/support/callback-slots")
def open_slots(who: CurrentCaller) -> Page[SlotOut]:
    return callbacks.open_slots(who)


@router.post("/support/callbacks", responses=created_as(CallbackOut, "Rappel réservé"))
def book(who: CurrentCaller, body: CallbackIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="callback", key=key, body=body,
                       output=CallbackOut, create=lambda: callbacks.book(who, body, key))


@router.get("/support/callbacks")
def list_callbacks(who: CurrentCaller, cursor: Cursor = None, limit: Limit = 20
                   ) -> Page[CallbackOut]:
    return callbacks.callbacks(who, cursor=cursor, limit=limit)


@router.post("/support/callbacks/<callback_id>/cancel")
def cancel(who: CurrentCaller, callback_id: PathId) -> CallbackOut:
    return callbacks.cancel(who, callback_id)


@router.get("/support/advisor/callback-slots")
def advisor_slots(who: CurrentCaller) -> Page[AdvisorSlotOut]:
    return callbacks.advisor_slots(who)


@router.post("/support/advisor/callback-slots",
             responses=created_as(Page[AdvisorSlotOut], "Créneaux ouverts"))
def open_new(who: CurrentCaller, body: SlotsIn):
    return created(Page[AdvisorSlotOut](items=callbacks.open_new(who, body)))
