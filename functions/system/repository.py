"""The ingest's storage: the only module of `system` that reaches AWS (through the kernel's
table access base). One TransactWriteItems per resource; reads only where a resource needs
what the portal already has (a reimbursement's beneficiary, its earlier version)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared import repository as table
from shared.errors import ServiceUnavailable
from shared.settings import get_settings

MAX_LINE_BYTES = 1024 * 1024  # a resource line longer than this is refused, not buffered
CHUNK_BYTES = 64 * 1024
WINDOW_BYTES = 4 * 1024 * 1024  # one ranged GET


class Cancelled(Exception):
    """A condition of the transaction failed: `failed` holds the positions that did."""

    def __init__(self, failed: list[int]) -> None:
        self.failed = failed
        super().__init__(f"conditions failed at {failed}")


def _pk(member_id: str) -> str:
    return f"MEMBER#{member_id}"


def update_op(member_id: str, sk: str, fields: dict[str, Any], *, source: str, version: int,
              digest: str, requires: tuple[str, ...] = (), bump_version: bool = False,
              newer_only: bool = True, defaults: dict[str, Any] | None = None,
              ) -> dict[str, Any]:
    """Set the attributes a resource owns on an item (removing those it no longer carries), if
    the item holds no newer version of that resource."""
    names: dict[str, str] = {"#src": source, "#dig": f"{source}_digest"}
    values: dict[str, Any] = {":v": version, ":d": digest}
    sets, removes = ["#src = :v", "#dig = :d"], []
    for i, (name, value) in enumerate(fields.items()):
        names[f"#a{i}"] = name
        if value is None:
            removes.append(f"#a{i}")
        else:
            values[f":a{i}"] = value
            sets.append(f"#a{i} = :a{i}")
    for i, (name, value) in enumerate((defaults or {}).items()):
        names[f"#d{i}"], values[f":d{i}"] = name, value
        sets.append(f"#d{i} = if_not_exists(#d{i}, :d{i})")
    if bump_version:  # the profile's optimistic lock: readers holding the old one get 409
        names["#ver"] = "version"
        values[":zero"], values[":one"] = 0, 1
        sets.append("#ver = if_not_exists(#ver, :zero) + :one")
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    conditions = ["(attribute_not_exists(#src) OR #src < :v)"] if newer_only else []
    for i, attribute in enumerate(requires):
        names[f"#r{i}"] = attribute
        conditions.append(f"attribute_exists(#r{i})")
    update: dict[str, Any] = {
        "TableName": get_settings().table_name, "Key": {"pk": _pk(member_id), "sk": sk},
        "UpdateExpression": expression, "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values}
    if conditions:
        update["ConditionExpression"] = " AND ".join(conditions)
    return {"Update": update}


def profile_check(member_id: str) -> dict[str, Any]:
    return {"ConditionCheck": {"TableName": get_settings().table_name,
                               "Key": {"pk": _pk(member_id), "sk": "FILE#PROFILE"},
                               "ConditionExpression": "attribute_exists(pk)"}}


def put_new_op(item: dict[str, Any]) -> dict[str, Any]:
    return table.new_items([{"put": item}])[0]


def replace_op(item: dict[str, Any], *, version: int) -> dict[str, Any]:
    """Replace an item still at `version` (optimistic lock: a concurrent change wins)."""
    return {"Put": {"TableName": get_settings().table_name, "Item": table.compact(item),
                    "ConditionExpression": "attribute_exists(pk) AND #v = :v",
                    "ExpressionAttributeNames": {"#v": "version"},
                    "ExpressionAttributeValues": {":v": version}}}


def write(operations: list[dict[str, Any]]) -> None:
    """One transaction; Cancelled(positions) when a condition failed, 503 otherwise."""
    try:
        table.dynamodb().meta.client.transact_write_items(TransactItems=operations)
    except ClientError as exc:
        response = exc.response
        if response.get("Error", {}).get("Code") == "TransactionCanceledException":
            reasons = response.get("CancellationReasons") or []
            failed = [i for i, r in enumerate(reasons)
                      if (r or {}).get("Code") == "ConditionalCheckFailed"]
            if failed:
                raise Cancelled(failed) from exc
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


def items(member_id: str, sort_keys: list[str]) -> dict[str, dict[str, Any]]:
    """Several items of the member's partition, by sort key, in one consistent read."""
    found = table.batch_get([(_pk(member_id), sk) for sk in sort_keys], consistent=True)
    return {i["sk"]: i for i in found}


def item(member_id: str, sk: str) -> dict[str, Any] | None:
    return items(member_id, [sk]).get(sk)


# ----------------------------------------------------------------------------- waiting lines
def park(member_id: str, kind: str, resource_id: str, version: int, raw: bytes) -> None:
    """Keep a resource whose member (or beneficiary) is not known yet: its highest version."""
    try:
        table.dynamodb().meta.client.update_item(
            TableName=get_settings().table_name,
            Key={"pk": _pk(member_id), "sk": f"PENDING#{kind}#{resource_id}"},
            UpdateExpression="SET #v = :v, #raw = :raw, #t = :t",
            ConditionExpression="attribute_not_exists(#v) OR #v <= :v",
            ExpressionAttributeNames={"#v": "version", "#raw": "raw", "#t": "type"},
            ExpressionAttributeValues={":v": version, ":raw": raw.decode(), ":t": "pending"})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


def waiting(member_id: str) -> list[dict[str, Any]]:
    return table.query_all(partition=("pk", _pk(member_id)), sort_prefix="PENDING#")


def unpark(member_id: str, sk: str, version: int) -> None:
    """Forget a waiting resource once applied (unless a newer version arrived meanwhile)."""
    try:
        table.dynamodb().meta.client.delete_item(
            TableName=get_settings().table_name, Key={"pk": _pk(member_id), "sk": sk},
            ConditionExpression="#v = :v", ExpressionAttributeNames={"#v": "version"},
            ExpressionAttributeValues={":v": version})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


# ----------------------------------------------------------------------------- inbox files
def _chunks(bucket: str, key: str, offset: int,
            version_id: str | None) -> Iterator[bytes]:
    """The object's bytes from `offset`, in ranged GETs of WINDOW_BYTES read CHUNK_BYTES at a
    time: memory stays bounded whatever the file's size (and whatever the client buffers)."""
    extra = {"VersionId": version_id} if version_id else {}
    position = offset
    while True:
        try:
            answer = table.s3().get_object(
                Bucket=bucket, Key=key, Range=f"bytes={position}-{position + WINDOW_BYTES - 1}",
                **extra)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("InvalidRange", "416"):
                return  # nothing left past the end
            raise ServiceUnavailable() from exc
        except BotoCoreError as exc:
            raise ServiceUnavailable() from exc
        body, got = answer["Body"], 0
        try:
            for chunk in body.iter_chunks(CHUNK_BYTES):
                got += len(chunk)
                yield chunk
        except (ClientError, BotoCoreError) as exc:
            raise ServiceUnavailable() from exc
        finally:
            body.close()
        total = int(str(answer.get("ContentRange", "")).rpartition("/")[2] or 0)
        position += got
        if got < WINDOW_BYTES or (total and position >= total):
            return


def lines(bucket: str, key: str, offset: int,
          version_id: str | None = None) -> Iterator[tuple[int, bytes | None]]:
    """The object's lines from byte `offset`, streamed: (offset after the line, its bytes), or
    None for a line longer than MAX_LINE_BYTES (never held whole in memory). The version read
    is the one the event named (a newer put of the same key is its own event)."""
    pending = bytearray()
    too_long = False
    position = offset
    for chunk in _chunks(bucket, key, offset, version_id):
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not too_long:
                    pending += chunk[start:]
                    if len(pending) > MAX_LINE_BYTES:
                        too_long, pending = True, bytearray()
                position += len(chunk) - start
                break
            position += end + 1 - start
            if too_long:
                yield position, None
            else:
                pending += chunk[start:end]
                yield position, bytes(pending)
            pending, too_long, start = bytearray(), False, end + 1
    if too_long:
        yield position, None
    elif pending:
        yield position, bytes(pending)


def put_report(bucket: str, key: str, report: dict[str, Any]) -> None:
    data = json.dumps(report, ensure_ascii=False, indent=1).encode()
    with table.aws_call():
        table.s3().put_object(Bucket=bucket, Key=key, Body=data,
                              ContentType="application/json", ServerSideEncryption="AES256")


def progress(key: str, etag: str) -> dict[str, Any] | None:
    return table.get_item(f"INBOX#{key}", f"PROGRESS#{etag}")


def save_progress(key: str, etag: str, state: dict[str, Any], expires: int) -> None:
    table.put_item({"pk": f"INBOX#{key}", "sk": f"PROGRESS#{etag}", "type": "inbox_progress",
                    "state": json.dumps(state, ensure_ascii=False), "ttl": expires})


def continue_later(body: dict[str, Any]) -> None:
    table.send_message(get_settings().inbox_queue_url, body)
