"""The shared domain's storage: the only domain module that touches the table, the bucket or
the mail service (through the kernel's table access base). Items are plain dicts here; the
domain's modules turn them into their models."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared import repository as table

BENEF_INDEX = "ByBeneficiary"


# ----------------------------------------------------------------------------- member file
def member_file(member_id: str, prefix: str) -> list[dict[str, Any]]:
    """The items of the member's partition under a sort key prefix (her file: FILE#)."""
    return table.query_all(partition=("pk", f"MEMBER#{member_id}"), sort_prefix=prefix)


def account_items(sub: str) -> list[dict[str, Any]]:
    """The items of an account without a member file (an advisor's)."""
    return table.query_all(partition=("pk", f"ACCOUNT#{sub}"))


def member_item(member_id: str, sk: str) -> dict[str, Any] | None:
    return table.get_item(f"MEMBER#{member_id}", sk)


def items_of(member_id: str, sort_keys: list[str]) -> list[dict[str, Any]]:
    """Several items of the member's partition in one call (missing ones are absent)."""
    return table.batch_get([(f"MEMBER#{member_id}", sk) for sk in sort_keys])


def put(item: dict[str, Any]) -> None:
    table.put_item(item)


def put_new(item: dict[str, Any]) -> None:
    """Create an item that must not exist yet (Conflict when it does)."""
    table.put_new(item)


def write(operations: list[dict[str, Any]]) -> None:
    """Several writes, all or nothing (the kernel's `transact` operations)."""
    table.transact(operations)


def audit_page(member_id: str, limit: int) -> list[dict[str, Any]]:
    items, _ = table.query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="AUDIT#",
                                limit=limit)
    return items


# ----------------------------------------------------------------------------- procurations
def get_consistent(pk: str, sk: str) -> dict[str, Any] | None:
    """A strongly consistent read: what was written just before is seen (an ended
    procuration refuses the very next request)."""
    return table.get_item(pk, sk, consistent=True)


def take_try(pk: str, sk: str, code_hash: str) -> int | None:
    """One try of this code used before it is judged (a conditional decrement); the tries
    left after it, or None when none was left."""
    from shared.errors import Conflict

    try:
        with table.aws_call():
            answer = table.table().update_item(
                Key={"pk": pk, "sk": sk}, UpdateExpression="SET #a = #a - :one",
                ConditionExpression="#h = :h AND #a > :zero",
                ExpressionAttributeNames={"#a": "attempts_left", "#h": "code_hash"},
                ExpressionAttributeValues={":h": code_hash, ":one": 1, ":zero": 0},
                ReturnValues="UPDATED_NEW")
    except Conflict:
        return None
    return int(answer["Attributes"]["attempts_left"])


def due_on(day: str) -> list[dict[str, Any]]:
    """The procurations whose last day is `day` (the expiry sweep's index)."""
    return table.query_all(partition=("pk", f"PROXYDUE#{day}"))


# ----------------------------------------------------------------------------- claims
def claim(member_pk: str, sk: str) -> dict[str, Any] | None:
    return table.get_item(member_pk, sk)


def claims_between(member_pk: str, date_from: date, date_to: date) -> list[dict[str, Any]]:
    return table.query_all(partition=("pk", member_pk),
                           sort_between=(f"CLAIM#{date_from.isoformat()}",
                                         f"CLAIM#{date_to.isoformat()}#~"))


def claims_of_beneficiary(member_pk: str, beneficiary_id: str, date_from: date,
                          date_to: date) -> list[dict[str, Any]]:
    return table.query_all(partition=("gsi1pk", f"{member_pk}#BENEF#{beneficiary_id}"),
                           sort_key_name="gsi1sk", index=BENEF_INDEX,
                           sort_between=(f"CLAIM#{date_from.isoformat()}",
                                         f"CLAIM#{date_to.isoformat()}#~"))


# ----------------------------------------------------------------------------- files
def file_exists(key: str) -> bool:
    return table.read_object(key, 0) is not None


def put_file(key: str, data: bytes, content_type: str) -> None:
    table.put_object(key, data, content_type)


def delete_file(key: str) -> None:
    table.delete_object(key)


# ----------------------------------------------------------------------------- mail
def send_email(to: str, subject: str, text: str) -> None:
    table.send_email(to, subject, text)


# ----------------------------------------------------------------------------- passkeys
# Cognito's passkey actions, with the caller's own access token, through the relay client
# (shared.repository.cognito_relay_call: the header the web ACL asks of these four actions,
# which browsers cannot send). Cognito's refusals come back as `CognitoRefused(code)`; a failure of
# the service itself as ServiceUnavailable.
class CognitoRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Refusals that say something about the request (the rest: the service failed, 503).
REFUSALS = frozenset({
    "NotAuthorizedException", "InvalidParameterException", "LimitExceededException",
    "ResourceNotFoundException", "WebAuthnChallengeNotFoundException",
    "WebAuthnRelyingPartyMismatchException", "WebAuthnClientMismatchException",
    "WebAuthnOriginNotAllowedException", "WebAuthnCredentialNotSupportedException",
    "ExpiredCodeException", "CodeMismatchException", "UserNotFoundException"})


def _cognito(client: Any, action: str, **params: Any) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

    from shared.errors import ServiceUnavailable

    try:
        return getattr(client, action)(**params)
    except ParamValidationError as exc:  # what Cognito would refuse as InvalidParameter
        raise CognitoRefused("InvalidParameterException") from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in REFUSALS:
            raise CognitoRefused(code) from exc
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


def passkey_call(action: str, **params: Any) -> dict[str, Any]:
    """One of StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials,
    DeleteWebAuthnCredential, with the caller's own access token (the kernel's relay)."""
    try:
        return table.cognito_relay_call(action, params)
    except table.CognitoRefused as refused:
        raise CognitoRefused(refused.code) from refused


def passkey_sign_in(client_id: str, username: str, session: str, credential: str) -> bool:
    """Complete a passkey sign-in the browser started (USER_AUTH, WEB_AUTHN): the proof that
    she holds one of her passkeys right now. The session it opens is closed at once (its
    refresh token revoked); refused: CognitoRefused."""
    answer = _cognito(table.cognito(), "respond_to_auth_challenge", ClientId=client_id,
                      ChallengeName="WEB_AUTHN", Session=session,
                      ChallengeResponses={"USERNAME": username, "CREDENTIAL": credential})
    result = answer.get("AuthenticationResult") or {}
    if not result.get("AccessToken"):
        return False
    if result.get("RefreshToken"):
        from contextlib import suppress

        from shared.errors import ServiceUnavailable

        with suppress(CognitoRefused, ServiceUnavailable):  # a leftover expires on its own
            _cognito(table.cognito(), "revoke_token", Token=result["RefreshToken"],
                     ClientId=client_id)
    return True


def account_email(pool_id: str, sub: str) -> str | None:
    """The sign-in address of an account (AdminGetUser, as administrator)."""
    from shared.errors import ServiceUnavailable

    try:
        answer = _cognito(table.cognito_admin(), "admin_get_user", UserPoolId=pool_id,
                          Username=sub)
    except CognitoRefused as refused:  # her own account, signed in: Cognito failed
        raise ServiceUnavailable() from refused
    return next((a["Value"] for a in answer.get("UserAttributes", []) if a["Name"] == "email"),
                None)


def account_passkeys(sub: str) -> list[dict[str, Any]]:
    """Our own record of her passkeys (their names), under her account."""
    return table.query_all(partition=("pk", f"ACCOUNT#{sub}"), sort_prefix="PASSKEY#")


def account_item(sub: str, sk: str) -> dict[str, Any] | None:
    return table.get_item(f"ACCOUNT#{sub}", sk)


def give_back_attempt(counter: str, *, window: int) -> None:
    """An attempt that turned out right (a passkey shown) counts no more."""
    table.give_back_attempt(counter, window=window)
