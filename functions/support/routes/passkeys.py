"""Routes of an advisor's own passkeys: the same as a member's (domain.passkeys), on the
advisors' side of the API. A passkey signs an advisor in with its user verification as her
second factor."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.request import Request

from domain import passkeys
from domain.passkeys import CREDENTIAL_ID, OptionsOut, PasskeyIn, PasskeyOut, PasskeysOut, ProofIn
from shared.http import (
    AccessToken,
    CurrentCaller,
    IdempotencyKey,
    Router,
    created,
    created_as,
    no_content,
)
from shared.idempotency import run_once
from support.logic.access import require_advisor

router = Router()
CredentialId = Annotated[str, Path(pattern=CREDENTIAL_ID, description="Identifiant de la clé")]
TOO_MANY = {429: {"description": "Trop de tentatives : réessayer après Retry-After secondes",
                  "content": {"application/json": {
                      "schema": {"$ref": "#/components/schemas/Error"}}}}}


def _origin(request: Request) -> dict:
    http = request.resolved_event.request_context.http
    return {"ip": http.source_ip, "user_agent": (http.user_agent or "")[:200]}


@router.get("/support/advisor/passkeys")
def list_passkeys(who: CurrentCaller, token: AccessToken) -> PasskeysOut:
    require_advisor(who)
    return passkeys.list_passkeys(who, token)


@router.post("/support/advisor/passkeys/options", responses=TOO_MANY)
def passkey_options(who: CurrentCaller, token: AccessToken, body: ProofIn) -> OptionsOut:
    require_advisor(who)
    return passkeys.creation_options(who, token, body)


@router.post("/support/advisor/passkeys",
             responses=created_as(PasskeyOut, "Clé d'accès ajoutée"))
def add_passkey(who: CurrentCaller, token: AccessToken, body: PasskeyIn, key: IdempotencyKey,
                request: Request):
    require_advisor(who)
    where = _origin(request)
    passkeys.register(token, body)  # Cognito first: its refusal writes nothing
    # An advisor has no member file: her own account scopes the key.
    return created(run_once(operation="passkey_add", member_id=f"ACCOUNT#{who.sub}", key=key,
                            payload=body.model_dump(mode="json"), output=PasskeyOut,
                            action=lambda: passkeys.record(who, body, where),
                            lambda_context=router.context.get("lambda_context")))


@router.post("/support/advisor/passkeys/<credential_id>/delete",
             responses={204: {"description": "Clé d'accès supprimée"}, **TOO_MANY})
def remove_passkey(who: CurrentCaller, token: AccessToken, credential_id: CredentialId,
                   body: ProofIn, request: Request):
    require_advisor(who)
    passkeys.remove(who, token, credential_id, body, _origin(request))
    return no_content()
