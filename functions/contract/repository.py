"""Storage of the contract function: contributions, the card's check code, files, and the
password check of sensitive changes. Only this module (and shared.repository) touches AWS."""

from __future__ import annotations

from botocore.exceptions import ClientError

from shared.observability import logger
from shared.repository import (
    aws_call,
    cognito,
    get_item,
    presigned_get,
    query_all,
    query_page,
    transact,
)
from shared.settings import get_settings


def contributions(member_id: str, year_from: int, year_to: int) -> list[dict]:
    return query_all(partition=("pk", f"MEMBER#{member_id}"),
                     sort_between=(f"CONTRIB#{year_from}", f"CONTRIB#{year_to}~"))


def card_check(token: str) -> dict | None:
    return get_item(f"CARDCHECK#{token}", "CARDCHECK")


def new_card_code(member_id: str, token: str, valid_from: str, valid_to: str,
                  previous: str | None) -> None:
    """The card's check code, in her file and as a public key, all or nothing; the previous
    code (last year's card) is withdrawn at once."""
    ops: list[dict] = [
        {"put": {"pk": f"CARDCHECK#{token}", "sk": "CARDCHECK", "type": "card_check",
                 "member_id": member_id, "valid_from": valid_from, "valid_to": valid_to}}]
    card = {"pk": f"MEMBER#{member_id}", "sk": "FILE#CARD", "type": "card", "token": token,
            "valid_from": valid_from, "valid_to": valid_to}
    if previous:
        ops.append({"replace": card, "expect": {"token": previous}})
        ops.append({"update": {"key": {"pk": f"CARDCHECK#{previous}", "sk": "CARDCHECK"},
                               "set": {"withdrawn": True}, "condition": ("sk", "CARDCHECK")}})
    else:
        ops.append({"put": card})
    transact(ops)


def file_link(key: str, seconds: int, filename: str, content_type: str) -> str:
    return presigned_get(key, seconds, filename=filename, content_type=content_type)


def password_is_right(email: str, password: str) -> bool:
    """Ask Cognito, as a sign-in would (USER_PASSWORD_AUTH with the site's client)."""
    client_id = get_settings().user_pool_client_id
    try:
        with aws_call():
            answer = cognito().initiate_auth(
                ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password})
    except Exception as exc:  # aws_call turned AWS errors into ours: look at the cause
        cause = exc.__cause__
        if isinstance(cause, ClientError) and cause.response.get("Error", {}).get(
                "Code") in ("NotAuthorizedException", "UserNotFoundException"):
            return False
        raise
    # The check opened a session nobody will use: close it at once.
    refresh = (answer.get("AuthenticationResult") or {}).get("RefreshToken")
    if refresh:
        try:
            cognito().revoke_token(Token=refresh, ClientId=client_id)
        except Exception:  # a leftover session expires on its own; the check is done
            logger.warning("could not revoke the password check's session")
    return True


def open_requests(member_id: str) -> tuple[list[dict], str | None]:
    """Her requests about the contract still being processed (newest first)."""
    from boto3.dynamodb.conditions import Attr

    return query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="REQ#", limit=20,
                      where=Attr("kind").is_in(["beneficiary_add", "bank_details",
                                                "portability"])
                      & Attr("status").is_in(["sent", "in_progress", "info_needed"]))
