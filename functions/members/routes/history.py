"""Routes of « Mes connexions »: her sign-ins, and the recording of each one on the first page
of the space it opens (GET /members/me, through `SignedInCaller`)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.request import Request

from members.logic import history
from members.models import LoginOut
from shared.http import Caller, CurrentCaller, Cursor, Limit, Page, Router

router = Router()


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def signed_in_caller(who: CurrentCaller, request: Request) -> Caller:
    """The caller, her sign-in recorded (once per session) from what the gateway saw."""
    event = request.resolved_event
    context = event.request_context
    claims = context.authorizer.jwt_claim if context.authorizer else {}
    headers = {k.lower(): v for k, v in (event.headers or {}).items()}
    history.record_sign_in(who, history.SignIn(
        auth_time=_int((claims or {}).get("auth_time")),
        user_agent=(context.http.user_agent or headers.get("user-agent") or "")[:512],
        viewer_address=headers.get("cloudfront-viewer-address"),
        source_ip=context.http.source_ip,
        viewer_country=headers.get("cloudfront-viewer-country")))
    return who


SignedInCaller = Annotated[Caller, Depends(signed_in_caller)]


@router.get("/members/me/logins")
def list_logins(who: CurrentCaller, cursor: Cursor = None, limit: Limit = 20) -> Page[LoginOut]:
    return history.list_logins(who, cursor, limit)
