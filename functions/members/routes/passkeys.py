"""Routes of her passkeys (« Mes clés d'accès »): the list, the options of a new one (after
her password or a passkey), adding it, removing one (after her password or a passkey). The
logic is the shared domain's (domain.passkeys): advisors have the same under /support/advisor."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.request import Request

from domain import passkeys
from domain.passkeys import CREDENTIAL_ID, OptionsOut, PasskeyIn, PasskeyOut, PasskeysOut, ProofIn
from members.routes.profile import TOO_MANY, origin
from shared.http import (
    AccessToken,
    CurrentCaller,
    IdempotencyKey,
    Router,
    create_once,
    created_as,
    no_content,
)

router = Router()
CredentialId = Annotated[str, Path(pattern=CREDENTIAL_ID, description="Identifiant de la clé")]


@router.get("/members/passkeys")
def list_passkeys(who: CurrentCaller, token: AccessToken) -> PasskeysOut:
    return passkeys.list_passkeys(who, token)


@router.post("/members/passkeys/options", responses=TOO_MANY)
def passkey_options(who: CurrentCaller, token: AccessToken, body: ProofIn) -> OptionsOut:
    return passkeys.creation_options(who, token, body)


@router.post("/members/passkeys", responses=created_as(PasskeyOut, "Clé d'accès ajoutée"))
def add_passkey(who: CurrentCaller, token: AccessToken, body: PasskeyIn, key: IdempotencyKey,
                request: Request):
    where = origin(request)
    passkeys.register(token, body)  # Cognito first: its refusal writes nothing
    return create_once(router, who=who, operation="passkey_add", key=key, body=body,
                       output=PasskeyOut, create=lambda: passkeys.record(who, body, where))


@router.post("/members/passkeys/<credential_id>/delete",
             responses={204: {"description": "Clé d'accès supprimée"}, **TOO_MANY})
def remove_passkey(who: CurrentCaller, token: AccessToken, credential_id: CredentialId,
                   body: ProofIn, request: Request):
    passkeys.remove(who, token, credential_id, body, origin(request))
    return no_content()
