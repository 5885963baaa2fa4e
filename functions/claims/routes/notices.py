"""Routes of the payment notices: « Nouveau » goes once she has seen the payment."""

from claims.logic import notices
from claims.models import NoticesSeenIn, NoticesSeenOut
from shared.http import CurrentCaller, IdempotencyKey, Router
from shared.idempotency import run_once

router = Router()


@router.post("/claims/notices/seen")
def notices_seen(who: CurrentCaller, body: NoticesSeenIn,
                 key: IdempotencyKey) -> NoticesSeenOut:
    return run_once(operation="notices_seen", member_id=who.member_pk, key=key,
                    payload=body.model_dump(mode="json"), output=NoticesSeenOut,
                    action=lambda: notices.seen(who, body),
                    lambda_context=router.context.get("lambda_context"))
