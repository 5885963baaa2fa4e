"""Routes of the member's own profile: who she is (« me »), her contact details and
preferences, a new email address (a code sent there), a new password."""

from aws_lambda_powertools.event_handler.request import Request

from members.logic import me, password, profile
from members.models import (
    EmailChangeIn,
    EmailCodeIn,
    MeOut,
    PasswordChangedOut,
    PasswordChangeIn,
    PendingEmailOut,
    ProfileIn,
    ProfileOut,
)
from members.routes.history import SignedInCaller
from shared.http import CurrentCaller, IdempotencyKey, Router, create_once, created_as

router = Router()
TOO_MANY = {429: {"description": "Trop de tentatives : réessayer après Retry-After secondes",
                  "content": {"application/json": {
                      "schema": {"$ref": "#/components/schemas/Error"}}}}}


def origin(request: Request) -> dict:
    """Where a change came from, for her audit trail."""
    http = request.resolved_event.request_context.http
    return {"ip": http.source_ip, "user_agent": (http.user_agent or "")[:200]}


@router.get("/members/me")
def get_me(who: SignedInCaller) -> MeOut:
    return me.get_me(who)


@router.get("/members/profile")
def get_profile(who: CurrentCaller) -> ProfileOut:
    return profile.get_profile(who)


@router.put("/members/profile")
def update_profile(who: CurrentCaller, body: ProfileIn, request: Request) -> ProfileOut:
    return profile.update_profile(who, body, origin(request))


@router.post("/members/email-changes",
             responses={**created_as(PendingEmailOut, "Code envoyé à la nouvelle adresse"),
                        **TOO_MANY})
def start_email_change(who: CurrentCaller, body: EmailChangeIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="email_change", key=key, body=body,
                       output=PendingEmailOut,
                       create=lambda: profile.start_email_change(who, body))


@router.post("/members/email-changes/confirm")
def confirm_email_change(who: CurrentCaller, body: EmailCodeIn, request: Request) -> ProfileOut:
    return profile.confirm_email_change(who, body.code, origin(request))


@router.post("/members/password", responses=TOO_MANY)
def change_password(who: CurrentCaller, body: PasswordChangeIn,
                    request: Request) -> PasswordChangedOut:
    return password.change_password(who, body, origin(request))
