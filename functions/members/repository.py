"""The members function's storage and calls: Cognito (with her own token, or as administrator
for the account's life), attempt counters, one-time codes, and the emails that carry a code.
The member's file is read through shared.membership."""

from __future__ import annotations

from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from shared.errors import Conflict, ServiceUnavailable
from shared.repository import (
    aws_call,
    cognito,
    cognito_admin,
    dynamodb,
    get_item,
    put_item,
    send_email,
    table,
    transact,
)
from shared.settings import get_settings


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def sign_out_everywhere(access_token: str) -> None:
    """Revoke every refresh token of the user (Cognito GlobalSignOut, with her own token).
    A token Cognito already signed out (a retry after a failure that followed the sign-out)
    means it is done."""
    with aws_call():
        try:
            cognito().global_sign_out(AccessToken=access_token)
        except ClientError as exc:
            if _code(exc) != "NotAuthorizedException":
                raise


PasswordAnswer = Literal["ok", "wrong_password", "refused", "throttled"]


def change_password(access_token: str, previous: str, proposed: str) -> PasswordAnswer:
    """Cognito's ChangePassword with her own token: Cognito checks the current password, its
    policy and known leaked passwords."""
    with aws_call():
        try:
            cognito().change_password(AccessToken=access_token, PreviousPassword=previous,
                                      ProposedPassword=proposed)
        except ClientError as exc:
            code = _code(exc)
            if code == "NotAuthorizedException":
                return "wrong_password"
            if code in ("InvalidPasswordException", "PasswordHistoryPolicyViolationException",
                        "InvalidParameterException"):
                return "refused"
            if code == "LimitExceededException":  # Cognito's own limit of attempts
                return "throttled"
            raise
    return "ok"


# ------------------------------------------------------------------ Cognito, administrator
def _pool() -> str:
    return get_settings().user_pool_id


def find_user(email: str) -> str | None:
    """The `sub` of the enabled account that signs in with this address, if any."""
    with aws_call():
        try:
            user = cognito_admin().admin_get_user(UserPoolId=_pool(), Username=email)
        except ClientError as exc:
            if _code(exc) == "UserNotFoundException":
                return None
            raise
    if not user.get("Enabled", True):
        return None
    return next((a["Value"] for a in user.get("UserAttributes", []) if a["Name"] == "sub"),
                None)


def set_email(sub: str, email: str) -> bool:
    """Her sign-in address, verified (she typed the code sent there). False when another
    account signs in with it."""
    with aws_call():
        try:
            cognito_admin().admin_update_user_attributes(
                UserPoolId=_pool(), Username=sub,
                UserAttributes=[{"Name": "email", "Value": email},
                                {"Name": "email_verified", "Value": "true"}])
        except ClientError as exc:
            if _code(exc) == "AliasExistsException":
                return False
            raise
    return True


def create_user(email: str) -> str | None:
    """A new account signing in with `email` (verified, no invitation sent: she chose her
    password herself); its `sub`, or None when the address already has an account."""
    with aws_call():
        try:
            user = cognito_admin().admin_create_user(
                UserPoolId=_pool(), Username=email, MessageAction="SUPPRESS",
                UserAttributes=[{"Name": "email", "Value": email},
                                {"Name": "email_verified", "Value": "true"}])["User"]
        except ClientError as exc:
            if _code(exc) in ("UsernameExistsException", "AliasExistsException"):
                return None
            raise
    return next(a["Value"] for a in user.get("Attributes", []) if a["Name"] == "sub")


def set_password(sub: str, password: str) -> Literal["ok", "refused"]:
    """A permanent password (she chose it after proving she reads her mailbox)."""
    with aws_call():
        try:
            cognito_admin().admin_set_user_password(UserPoolId=_pool(), Username=sub,
                                                    Password=password, Permanent=True)
        except ClientError as exc:
            if _code(exc) in ("InvalidPasswordException",
                              "PasswordHistoryPolicyViolationException"):
                return "refused"
            raise
    return "ok"


def sign_out_user(sub: str) -> None:
    """Revoke every refresh token of the account (after a password reset)."""
    with aws_call():
        try:
            cognito_admin().admin_user_global_sign_out(UserPoolId=_pool(), Username=sub)
        except ClientError as exc:
            if _code(exc) != "UserNotFoundException":
                raise


# ------------------------------------------------------------------ table
def account(sub: str) -> dict | None:
    return get_item(f"ACCOUNT#{sub}", "ACCOUNT")


def get(pk: str, sk: str) -> dict | None:
    return get_item(pk, sk)


def save(item: dict) -> None:
    put_item(item)


def commit(operations: list[dict]) -> None:
    """Several writes, all or nothing (shared.repository.transact's operations)."""
    transact(operations)


def spend_attempt(pk: str, sk: str, code_hash: str, attempts_left: int) -> bool:
    """One wrong code: one attempt less, if the code is still the one checked (False when a
    new code replaced it meanwhile)."""
    try:
        with aws_call():
            table().update_item(
                Key={"pk": pk, "sk": sk}, UpdateExpression="SET #a = :a",
                ConditionExpression="#h = :h AND #a = :before",
                ExpressionAttributeNames={"#a": "attempts_left", "#h": "code_hash"},
                ExpressionAttributeValues={":a": attempts_left, ":h": code_hash,
                                           ":before": attempts_left + 1})
    except Conflict:
        return False
    return True


def count_attempts(counters: list[tuple[str, int]], *, window: int, expires: int) -> int | None:
    """One more attempt on each counter (name, limit) of this window, all or none. Answers
    the index of the first counter already at its limit (nothing counted then), or None."""
    name = get_settings().table_name
    ops = [{"Update": {
        "TableName": name, "Key": {"pk": f"LIMIT#{counter}", "sk": f"W#{window}"},
        "UpdateExpression": "SET #n = if_not_exists(#n, :zero) + :one, #t = :ttl, #k = :k",
        "ConditionExpression": "attribute_not_exists(#n) OR #n < :max",
        "ExpressionAttributeNames": {"#n": "attempts", "#t": "ttl", "#k": "type"},
        "ExpressionAttributeValues": {":zero": 0, ":one": 1, ":max": limit, ":ttl": expires,
                                      ":k": "attempts"}}}
        for counter, limit in counters]
    try:
        dynamodb().meta.client.transact_write_items(TransactItems=ops)
    except ClientError as exc:
        if _code(exc) != "TransactionCanceledException":
            raise ServiceUnavailable() from exc
        reasons: list[dict[str, Any]] = exc.response.get("CancellationReasons") or []
        for index, reason in enumerate(reasons):
            if reason.get("Code") == "ConditionalCheckFailed":
                return index
        if "ConditionalCheckFailed" in str(exc):
            return 0
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc
    return None


def send(to: str, subject: str, body: str) -> None:
    """Send an email now; a failure is the caller's failure (503): the email is the point."""
    send_email(to, subject, body)
