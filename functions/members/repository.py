"""The members function's storage and calls: Cognito (with her own token, or as administrator
for the account's life), attempt counters, one-time codes, and the emails that carry a code.
The member's file is read through domain.membership."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import BinaryIO, Literal

from botocore.exceptions import ClientError

from domain import repository as domain_repository
from members.models import DataExportItem, ExportMessage, LoginItem
from shared.errors import Conflict
from shared.ids import created_of
from shared.repository import (
    aws_call,
    cognito_admin,
    get_item,
    new_items,
    presigned_get,
    put_item,
    query_all,
    query_page,
    read_object,
    s3,
    send_email,
    send_message,
    transact,
    transact_items,
)
from shared.settings import get_settings


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


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
    """Revoke every refresh token of the account (AdminUserGlobalSignOut, as administrator:
    the browser's own Cognito calls are limited to signing in and out of one device)."""
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


def take_attempt(pk: str, sk: str, code_hash: str) -> int | None:
    """One attempt of this code used, before it is judged (a conditional decrement: tries sent
    at once each use one). Answers the attempts left after this one, or None when none was left
    or a newer code replaced this one."""
    return domain_repository.take_try(pk, sk, code_hash)


def send(to: str, subject: str, body: str) -> None:
    """Send an email now; a failure is the caller's failure (503): the email is the point."""
    send_email(to, subject, body)


# ------------------------------------------------------------------ login history, data export

LOGIN = "LOGIN#"
EXPORT = "EXPORT#"
# One export in preparation at a time. In her file, which every request reads: the request
# sees a taken lock before it queues anything.
EXPORT_LOCK = "FILE#EXPORTLOCK"
# The worker gets its message this long after it is sent: the creation has committed by then.
QUEUE_DELAY_SECONDS = 1
ARCHIVE_TAG = "retention=data-export"  # the bucket's lifecycle rule removes these after a day


class ExportInProgress(Conflict):
    default_message = ("Vos données sont déjà en cours de préparation : vous recevrez un "
                       "courriel dès que le fichier sera prêt.")
    code = "export_in_progress"


def login_sk(at: int, login_id: str) -> str:
    return f"{LOGIN}{datetime.fromtimestamp(at, UTC):%Y%m%dT%H%M%S}#{login_id}"


def put_login(member_id: str, login: LoginItem, *, at: int, expires: int,
              seen_until: int) -> None:
    """The sign-in (once: its key comes from the session) and the marker in her file that
    spares the next pages of the session any write."""
    pk = f"MEMBER#{member_id}"
    transact([
        {"put": {**login.model_dump(mode="json", exclude_none=True), "pk": pk,
                 "sk": login_sk(at, login.id), "type": "login", "ttl": expires}},
        {"put": {"pk": pk, "sk": f"FILE#SEEN#{login.id}", "type": "session_seen",
                 "ttl": seen_until}},
    ])


def logins(member_id: str, cursor: str | None, limit: int) -> tuple[list[LoginItem],
                                                                     str | None]:
    items, nxt = query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix=LOGIN,
                            limit=limit, cursor=cursor)
    return [LoginItem.model_validate(i) for i in items], nxt


def logins_since(member_id: str, since: int) -> list[LoginItem]:
    """Her sign-ins from `since` on, oldest first (one Query: a session's refresh token lives
    12 hours, so her open sessions are among the sign-ins of the last 12 hours)."""
    items = query_all(partition=("pk", f"MEMBER#{member_id}"),
                      sort_between=(login_sk(since, ""), f"{LOGIN}~"))
    return [LoginItem.model_validate(i) for i in items]


# ------------------------------------------------------------------ « Qui a consulté mon dossier »
OPENINGS = ("request_opened", "thread_opened", "attachment_opened", "file_opened")


def openings(member_id: str, cursor: str | None, limit: int) -> tuple[list[dict], str | None]:
    """The advisors' openings of her file in her audit trail, newest first."""
    from boto3.dynamodb.conditions import Attr

    return query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="AUDIT#",
                      cursor=cursor, limit=limit, read_ahead=300,
                      where=Attr("role").eq("advisor") & Attr("action").is_in(list(OPENINGS)))


def export_sk(export_id: str) -> str:
    return f"{EXPORT}{created_of(export_id, 'X')}#{export_id}"


def _export_item(member_id: str, export: DataExportItem, keep_until: int) -> dict:
    return {**export.model_dump(mode="json", exclude_none=True), "pk": f"MEMBER#{member_id}",
            "sk": export_sk(export.id), "type": "export", "ttl": keep_until}


def _lock(member_id: str, export_id: str) -> dict:
    return {"TableName": get_settings().table_name,
            "Key": {"pk": f"MEMBER#{member_id}", "sk": EXPORT_LOCK},
            "UpdateExpression": "SET done = :true",
            "ConditionExpression": "export_id = :id",
            "ExpressionAttributeValues": {":true": True, ":id": export_id}}


def create_export(member_id: str, export: DataExportItem, *, now: int, keep_until: int,
                  extra: list[dict]) -> None:
    """The export and the lock (free, or left by an export past its deadline, or released),
    with `extra` (the idempotency marker), all or nothing."""
    name = get_settings().table_name
    pk = f"MEMBER#{member_id}"
    ops = [
        {"Put": {"TableName": name, "Item": _export_item(member_id, export, keep_until),
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": name, "Item": {
            "pk": pk, "sk": EXPORT_LOCK, "type": "export_lock", "export_id": export.id,
            "until": export.deadline, "done": False, "ttl": export.deadline + 86400},
            "ConditionExpression": "attribute_not_exists(pk) OR #u < :now OR done = :true",
            "ExpressionAttributeNames": {"#u": "until"},
            "ExpressionAttributeValues": {":now": now, ":true": True}}},
        *new_items(extra),
    ]
    transact_items(ops, {1: ExportInProgress})


def enqueue_export(message: ExportMessage) -> None:
    send_message(get_settings().exports_queue_url, message.model_dump(mode="json"),
                 delay_seconds=QUEUE_DELAY_SECONDS)


def exports(member_id: str, cursor: str | None, limit: int) -> tuple[list[DataExportItem],
                                                                      str | None]:
    items, nxt = query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix=EXPORT,
                            limit=limit, cursor=cursor)
    return [DataExportItem.model_validate(i) for i in items], nxt


def get_export(member_id: str, export_id: str) -> DataExportItem | None:
    if not created_of(export_id, "X"):
        return None
    item = get_item(f"MEMBER#{member_id}", export_sk(export_id))
    return DataExportItem.model_validate(item) if item else None


def finish_export(member_id: str, export_id: str, changes: dict) -> None:
    """The export leaves « preparing » (ready or failed) and frees the lock, together; only
    while it still holds the lock (an export past its deadline may have been replaced)."""
    name = get_settings().table_name
    names = {f"#f{i}": k for i, k in enumerate(changes)}
    values = {f":v{i}": v for i, v in enumerate(changes.values())}
    ops = [{"Update": {"TableName": name,
                       "Key": {"pk": f"MEMBER#{member_id}", "sk": export_sk(export_id)},
                       "UpdateExpression": "SET " + ", ".join(
                           f"#f{i} = :v{i}" for i in range(len(names))),
                       "ConditionExpression": "#st = :preparing",
                       "ExpressionAttributeNames": {**names, "#st": "status"},
                       "ExpressionAttributeValues": {**values, ":preparing": "preparing"}}},
           {"Update": _lock(member_id, export_id)}]
    transact_items(ops)


def member_items(member_id: str) -> list[dict]:
    """Everything stored under her member number (the export reads all of it)."""
    return query_all(partition=("pk", f"MEMBER#{member_id}"))


def read_document(key: str, max_bytes: int) -> bytes | None:
    return read_object(key, max_bytes)


def store_archive(key: str, archive: BinaryIO) -> None:
    """The finished ZIP, tagged for the bucket's short-expiry lifecycle rule."""
    with aws_call():
        s3().put_object(Bucket=get_settings().documents_bucket, Key=key, Body=archive,
                        ContentType="application/zip", ServerSideEncryption="AES256",
                        Tagging=ARCHIVE_TAG)


def archive_link(key: str, filename: str, seconds: int) -> str:
    return presigned_get(key, seconds, filename=filename, content_type="application/zip")
