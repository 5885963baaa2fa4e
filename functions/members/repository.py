"""The members function's calls to Cognito (the member's file is read through
shared.membership)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import BinaryIO

from botocore.exceptions import ClientError

from members.models import DataExportItem, ExportMessage, LoginItem
from shared.errors import Conflict
from shared.ids import created_of
from shared.repository import (
    aws_call,
    cognito,
    compact,
    dynamodb,
    get_item,
    presigned_get,
    query_all,
    query_page,
    read_object,
    s3,
    send_message,
    transact,
)
from shared.settings import get_settings


def sign_out_everywhere(access_token: str) -> None:
    """Revoke every refresh token of the user (Cognito GlobalSignOut, with her own token).
    A token Cognito already signed out (a retry after a failure that followed the sign-out)
    means it is done."""
    with aws_call():
        try:
            cognito().global_sign_out(AccessToken=access_token)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NotAuthorizedException":
                raise


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


def _raw_transact(operations: list[dict], reasons: dict[int, type[Conflict]]) -> None:
    """A transaction in the resource client's plain values; a failed condition at a known
    position raises its own conflict."""
    try:
        with aws_call():
            dynamodb().meta.client.transact_write_items(TransactItems=operations)
    except Conflict as conflict:
        cause = getattr(conflict.__cause__, "response", {}) or {}
        failed = [i for i, r in enumerate(cause.get("CancellationReasons") or [])
                  if (r or {}).get("Code") == "ConditionalCheckFailed"]
        for index in failed:
            if index in reasons:
                raise reasons[index]() from conflict
        raise


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
        *({"Put": {"TableName": name, "Item": compact(op["put"]),
                   "ConditionExpression": "attribute_not_exists(pk)"}} for op in extra),
    ]
    _raw_transact(ops, {1: ExportInProgress})


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
    _raw_transact(ops, {})


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
