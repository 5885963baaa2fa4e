"""Table access base: the only shared code that touches boto3.

Every read is a GetItem or a Query; lists page with an opaque cursor that is checked to stay
inside the caller's own partition, so a forged cursor cannot reach another member's data.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from shared.errors import BadRequest, Conflict, ServiceUnavailable
from shared.filenames import content_disposition
from shared.settings import get_settings

_BOTO_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=2,
                      read_timeout=5)
_resources: dict[str, Any] = {}

INVALID_CURSOR = "Le lien de pagination est invalide ou a expiré. Rechargez la liste."


def _made(key: str, service: str, *, endpoint: str | None = None, config: Config | None = None,
          resource: bool = False):
    """The one factory: a client (or resource) per key, made once per container, with the
    stack's region, endpoint (the local stack's, when set), timeouts and retries."""
    if key not in _resources:
        s = get_settings()
        make = boto3.resource if resource else boto3.client
        _resources[key] = make(service, region_name=s.region,
                               endpoint_url=endpoint or s.aws_endpoint_url,
                               config=config or _BOTO_CONFIG)
    return _resources[key]


def dynamodb():
    return _made("dynamodb", "dynamodb", resource=True)


def dynamodb_client():
    """A plain DynamoDB client (attribute-value format)."""
    return _made("dynamodb-client", "dynamodb")


def table():
    return dynamodb().Table(get_settings().table_name)


@contextmanager
def aws_call(conflict_message: str | None = None) -> Iterator[None]:
    """Turn boto errors into domain errors: a conditional failure is a conflict, the rest 503."""
    try:
        yield
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException" or (
            code == "TransactionCanceledException"
            and "ConditionalCheckFailed" in str(exc)
        ):
            raise Conflict(conflict_message) from exc
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


def plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; ours are all integers (cents, counts)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, key_names: set[str], partition: tuple[str, str],
                  sort_prefix: tuple[str, str] | None = None) -> dict[str, Any] | None:
    """Decode and check a cursor: same key names, same partition, sort key of the right kind."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(INVALID_CURSOR, code="invalid_cursor") from exc
    if (
        not isinstance(data, dict)
        or set(data) != key_names
        or not all(isinstance(v, str) for v in data.values())
        or data.get(partition[0]) != partition[1]
        or (sort_prefix and not data.get(sort_prefix[0], "").startswith(sort_prefix[1]))
    ):
        raise BadRequest(INVALID_CURSOR, code="invalid_cursor")
    return data


def query_page(*, partition: tuple[str, str], sort_between: tuple[str, str] | None = None,
               sort_prefix: str | None = None, index: str | None = None,
               sort_key_name: str = "sk", limit: int = 20, cursor: str | None = None,
               newest_first: bool = True, where: Any = None, read_ahead: int | None = None,
               ) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a partition, and a cursor when (and only when) more follow. `where` is a
    filter (boto3 condition) on other attributes: pages are read until the page is full
    (`read_ahead` items per call at least, as DynamoDB's Limit counts the items it reads, not
    those the filter keeps)."""
    pk_name, pk_value = partition
    condition = Key(pk_name).eq(pk_value)
    if sort_between:
        condition &= Key(sort_key_name).between(*sort_between)
    elif sort_prefix:
        condition &= Key(sort_key_name).begins_with(sort_prefix)
    key_names = {pk_name, sort_key_name} | ({"pk", "sk"} if index else set())
    check_prefix = sort_prefix or (sort_between[0].split("#", 1)[0] + "#" if sort_between else "")
    start = decode_cursor(cursor, key_names=key_names, partition=partition,
                          sort_prefix=(sort_key_name, check_prefix))
    # One more than asked: a cursor only when there really is a next page (DynamoDB gives a
    # LastEvaluatedKey whenever the limit is reached, even at the very end).
    kwargs: dict[str, Any] = {"KeyConditionExpression": condition, "Limit": limit + 1,
                              "ScanIndexForward": not newest_first}
    if index:
        kwargs["IndexName"] = index
    if where is not None:
        kwargs["FilterExpression"] = where
        kwargs["Limit"] = max(limit + 1, read_ahead or 0)
    items: list[dict[str, Any]] = []
    with aws_call():
        while True:
            if start:
                kwargs["ExclusiveStartKey"] = start
            response = table().query(**kwargs)
            items += plain(response.get("Items", []))
            start = response.get("LastEvaluatedKey")
            if len(items) > limit or not start or where is None:
                break
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_cursor({k: items[-1][k] for k in key_names})


def query_all(*, partition: tuple[str, str], sort_prefix: str | None = None,
              sort_between: tuple[str, str] | None = None, index: str | None = None,
              sort_key_name: str = "sk") -> list[dict[str, Any]]:
    pk_name, pk_value = partition
    condition = Key(pk_name).eq(pk_value)
    if sort_between:
        condition &= Key(sort_key_name).between(*sort_between)
    elif sort_prefix:
        condition &= Key(sort_key_name).begins_with(sort_prefix)
    kwargs: dict[str, Any] = {"KeyConditionExpression": condition}
    if index:
        kwargs["IndexName"] = index
    items: list[dict[str, Any]] = []
    with aws_call():
        while True:
            response = table().query(**kwargs)
            items.extend(plain(response.get("Items", [])))
            if "LastEvaluatedKey" not in response:
                return items
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def get_item(pk: str, sk: str, *, consistent: bool = False) -> dict[str, Any] | None:
    with aws_call():
        return plain(table().get_item(Key={"pk": pk, "sk": sk},
                                      ConsistentRead=consistent).get("Item"))


def batch_get(keys: list[tuple[str, str]], *, consistent: bool = False) -> list[dict[str, Any]]:
    """Several items by key in one call (in no particular order; missing ones are absent)."""
    if not keys:
        return []
    name = get_settings().table_name
    request = {name: {"Keys": [{"pk": pk, "sk": sk} for pk, sk in dict.fromkeys(keys)],
                      "ConsistentRead": consistent}}
    items: list[dict[str, Any]] = []
    with aws_call():
        while request:
            answer = dynamodb().batch_get_item(RequestItems=request)
            items += plain(answer.get("Responses", {}).get(name, []))
            request = answer.get("UnprocessedKeys") or {}
    return items


def compact(item: dict[str, Any]) -> dict[str, Any]:
    """Absent, not NULL: an unset optional field is simply not stored."""
    return {k: v for k, v in item.items() if v is not None}


def put_item(item: dict[str, Any]) -> None:
    """Create or replace an item."""
    with aws_call():
        table().put_item(Item=compact(item))


def put_new(item: dict[str, Any]) -> None:
    """Create an item that must not exist yet."""
    with aws_call():
        table().put_item(Item=compact(item), ConditionExpression="attribute_not_exists(pk)")


def delete_existing(pk: str, sk: str) -> bool:
    """Delete an item; False when it did not exist (nothing is deleted then)."""
    try:
        with aws_call():
            table().delete_item(Key={"pk": pk, "sk": sk},
                                ConditionExpression="attribute_exists(pk)")
    except Conflict:
        return False
    return True


def count_attempts(counters: list[tuple[str, int]], *, window: int, expires: int) -> int | None:
    """One more attempt on each counter (name, limit) of this window, all or none, in one
    conditional write: concurrent attempts are each counted (none is lost to a race). Answers
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
        if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
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


def give_back_attempt(counter: str, *, window: int) -> None:
    """One attempt less on a counter (an attempt that turned out right)."""
    try:
        with aws_call():
            table().update_item(
                Key={"pk": f"LIMIT#{counter}", "sk": f"W#{window}"},
                UpdateExpression="SET #n = #n - :one", ConditionExpression="#n > :zero",
                ExpressionAttributeNames={"#n": "attempts"},
                ExpressionAttributeValues={":one": 1, ":zero": 0})
    except Conflict:
        pass


def password_is_right(email: str, password: str, client_id: str | None = None) -> bool:
    """Ask Cognito, as a sign-in would (USER_PASSWORD_AUTH with the site's client, or the
    advisors' one), then close the session the check opened. An advisor's right password is
    answered with her second factor's challenge: right, and no session to close."""
    client_id = client_id or get_settings().user_pool_client_id
    try:
        answer = cognito().initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NotAuthorizedException",
                                                          "UserNotFoundException"):
            return False
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc
    refresh = (answer.get("AuthenticationResult") or {}).get("RefreshToken")
    if refresh:
        with suppress(ClientError, BotoCoreError):  # a leftover session expires on its own
            cognito().revoke_token(Token=refresh, ClientId=client_id)
    return True


def admin_sign_out(pool_id: str, username: str) -> None:
    """Revoke every refresh token of a user (AdminUserGlobalSignOut, as administrator); a user
    already gone has nothing left to revoke."""
    with aws_call():
        try:
            cognito_admin().admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "UserNotFoundException":
                raise


def cognito():
    """Cognito as a browser reaches it (locally, the stack's /cognito proxy)."""
    return _made("cognito", "cognito-idp", endpoint=get_settings().cognito_endpoint_url)


class CognitoRefused(Exception):
    """Cognito's answer to a call it refuses (4xx): its error code and message, for the domain
    to turn into the member's words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


RELAY_ACTIONS = ("StartWebAuthnRegistration", "CompleteWebAuthnRegistration",
                 "ListWebAuthnCredentials", "DeleteWebAuthnCredential")
_relay: dict[str, str] = {}


def _relay_secret() -> str:
    """The relay header's value, read once per container (a new value comes with a
    deployment, which starts new containers)."""
    if "secret" not in _relay:
        arn = get_settings().cognito_relay_secret_arn
        if not arn:
            raise ServiceUnavailable()
        with aws_call():
            answer = _made("secretsmanager", "secretsmanager").get_secret_value(SecretId=arn)
        _relay["secret"] = answer["SecretString"]
    return _relay["secret"]


def cognito_relay():
    """Cognito as the functions reach its passkey actions: the browsers' way (locally, the
    /cognito proxy), with the relay header the web ACL asks of them."""
    client = _made("cognito-relay", "cognito-idp", endpoint=get_settings().cognito_endpoint_url)
    if not getattr(client, "_ea_relay", False):
        def add_header(request, **_) -> None:
            request.headers["X-EA-Relay"] = _relay_secret()

        client.meta.events.register("before-sign.cognito-idp.*", add_header)
        client._ea_relay = True
    return client


def cognito_relay_call(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """One of Cognito's passkey actions (`RELAY_ACTIONS`), with the user's own access token
    in `payload`, as the web ACL lets it through: with the relay header. Cognito's refusals
    raise CognitoRefused (code, message); an unreachable Cognito, ServiceUnavailable."""
    import re

    if action not in RELAY_ACTIONS:
        raise ValueError(f"not a relayed action: {action}")
    method = re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()
    try:
        answer = getattr(cognito_relay(), method)(**payload)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        # The web ACL's 403 (ForbiddenException) means our relay secret is not the one it
        # holds (changed, not yet deployed): our fault, not the member's.
        if status >= 500 or error.get("Code") in ("TooManyRequestsException",
                                                  "InternalErrorException",
                                                  "ForbiddenException"):
            raise ServiceUnavailable() from exc
        raise CognitoRefused(error.get("Code", ""), error.get("Message", "")) from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc
    answer.pop("ResponseMetadata", None)
    return answer


def cognito_admin():
    """Cognito's administrator API (AdminCreateUser, AdminSetUserPassword...), signed with the
    function's role: straight to the service (locally moto; the /cognito proxy serves only what
    a browser may call)."""
    return _made("cognito-admin", "cognito-idp")


def ses():
    return _made("ses", "ses")


def events():
    """EventBridge (the outbox relay puts the portal's events on the bus)."""
    return _made("events", "events")


def send_email(to: str, subject: str, text: str) -> None:
    s = get_settings()
    with aws_call():
        ses().send_email(Source=f"{s.brand_name} <{s.mail_from}>",
                         Destination={"ToAddresses": [to]},
                         Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                                  "Body": {"Text": {"Data": text, "Charset": "UTF-8"}}})


def sqs():
    return _made("sqs", "sqs")


def send_message(queue_url: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None:
    """Hand work to a background worker (a queue and its event source mapping)."""
    with aws_call():
        sqs().send_message(QueueUrl=queue_url, MessageBody=json.dumps(body),
                           DelaySeconds=delay_seconds)


def s3(*, public: bool = False):
    """S3 client; the public one signs URLs for the browser (locally, the site's /s3 proxy)."""
    s = get_settings()
    endpoint = (s.s3_public_endpoint or s.aws_endpoint_url) if public else s.aws_endpoint_url
    config = _BOTO_CONFIG.merge(Config(signature_version="s3v4",
                                       s3={"addressing_style": "path" if endpoint
                                           else "virtual"}))
    return _made("s3-public" if public else "s3", "s3", endpoint=endpoint, config=config)


def presigned_post(key: str, content_type: str, size: int, seconds: int) -> dict:
    """A browser form upload of exactly one object: this key, this type, exactly this size."""
    bucket = get_settings().documents_bucket
    with aws_call():
        return s3(public=True).generate_presigned_post(
            Bucket=bucket, Key=key, Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=seconds)


@dataclass(frozen=True)
class StoredObject:
    """What was read of an object, and which version of it (the bucket is versioned)."""

    data: bytes
    version_id: str | None
    etag: str | None


def read_object(key: str, max_bytes: int) -> bytes | None:
    """A stored object's bytes (at most `max_bytes` + 1 of them), or None when it is absent."""
    stored = read_version(key, max_bytes)
    return stored.data if stored else None


def read_version(key: str, max_bytes: int) -> StoredObject | None:
    """As `read_object`, with the version read: what `copy_object` can then copy exactly."""
    bucket = get_settings().documents_bucket
    try:
        response = s3().get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{max_bytes}")
        version = response.get("VersionId")
        return StoredObject(data=response["Body"].read(),
                            version_id=version if version and version != "null" else None,
                            etag=response.get("ETag"))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "InvalidRange"):
            return None
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


def copy_object(source: str, target: str, *, exactly: StoredObject | None = None) -> None:
    """Copy an object; with `exactly`, the very version that was read (its VersionId, and its
    ETag as a condition where there is no version): a newer object at the same key is not
    what gets copied. Conflict when that version is no longer there."""
    bucket = get_settings().documents_bucket
    copy_source = {"Bucket": bucket, "Key": source}
    condition: dict[str, str] = {}
    if exactly is not None and exactly.version_id:
        copy_source["VersionId"] = exactly.version_id
    elif exactly is not None and exactly.etag:
        condition["CopySourceIfMatch"] = exactly.etag
    try:
        s3().copy_object(Bucket=bucket, Key=target, CopySource=copy_source,
                         ServerSideEncryption="AES256", MetadataDirective="COPY", **condition)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if exactly is not None and code in ("PreconditionFailed", "412", "NoSuchVersion",
                                            "NoSuchKey"):
            raise Conflict() from exc
        raise ServiceUnavailable() from exc
    except BotoCoreError as exc:
        raise ServiceUnavailable() from exc


def delete_object(key: str) -> None:
    with aws_call():
        s3().delete_object(Bucket=get_settings().documents_bucket, Key=key)


def presigned_get(key: str, seconds: int, *, filename: str | None = None,
                  content_type: str | None = None) -> str:
    """A short link to download a stored file. Its name, which may be member input, reaches
    the Content-Disposition header only in its safe form (`shared.filenames`); browsers and
    proxies are told to keep no copy of it (health documents)."""
    params = {"Bucket": get_settings().documents_bucket, "Key": key,
              "ResponseCacheControl": "private, no-store"}
    if filename:
        params["ResponseContentDisposition"] = content_disposition(filename, content_type)
    if content_type:
        params["ResponseContentType"] = content_type
    with aws_call():
        return s3(public=True).generate_presigned_url("get_object", Params=params,
                                                      ExpiresIn=seconds)


def put_object(key: str, data: bytes, content_type: str) -> None:
    with aws_call():
        s3().put_object(Bucket=get_settings().documents_bucket, Key=key, Body=data,
                        ContentType=content_type, ServerSideEncryption="AES256")


def transact_items(operations: list[dict[str, Any]],
                   failures: dict[int, type[Exception]] | None = None) -> None:
    """Write TransactItems as DynamoDB takes them (the resource's client serializes values),
    for conditions `transact` does not express. A failed condition at a position listed in
    `failures` raises that error; any other, a Conflict."""
    try:
        with aws_call():
            dynamodb().meta.client.transact_write_items(TransactItems=operations)
    except Conflict as conflict:
        cause = getattr(conflict.__cause__, "response", {}) or {}
        failed = [i for i, r in enumerate(cause.get("CancellationReasons") or [])
                  if (r or {}).get("Code") == "ConditionalCheckFailed"]
        for index in failed:
            if index in (failures or {}):
                raise failures[index]() from conflict
        raise


def new_items(operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our {"put": item} operations (new items only) as TransactItems, to join a transaction
    written with `transact_items`."""
    name = get_settings().table_name
    out = []
    for op in operations:
        if set(op) != {"put"}:
            raise ValueError("only new items may join this transaction")
        out.append({"Put": {"TableName": name, "Item": compact(op["put"]),
                            "ConditionExpression": "attribute_not_exists(pk)"}})
    return out


def transact(operations: list[dict[str, Any]]) -> None:
    """Write several items all or nothing. Operations use plain Python values:
    {"put": item} (must be new), {"raw_update": {Key, UpdateExpression, ConditionExpression,
    names, values}} (as DynamoDB takes it, without the table name), {"replace": item,
    "expect": {attr: value}} (must exist with those values: optimistic locking), {"update":
    {"key":…, "set": {…}, "remove": [attr…], "condition": (attr, value)}} or {"delete":
    {"key":…}} (gone or not). The resource's client serializes values itself.
    """
    name = get_settings().table_name
    ops = []
    for op in operations:
        if "put" in op:
            ops.append({"Put": {"TableName": name, "Item": compact(op["put"]),
                                "ConditionExpression": "attribute_not_exists(pk)"}})
            continue
        if "replace" in op:
            expect = op["expect"]
            ops.append({"Put": {
                "TableName": name, "Item": compact(op["replace"]),
                "ConditionExpression": " AND ".join(
                    ["attribute_exists(pk)", *(f"#e{i} = :e{i}" for i in range(len(expect)))]),
                "ExpressionAttributeNames": {f"#e{i}": k for i, k in enumerate(expect)},
                "ExpressionAttributeValues": {f":e{i}": v for i, v in enumerate(
                    expect.values())}}})
            continue
        if "delete" in op:
            ops.append({"Delete": {"TableName": name, "Key": op["delete"]["key"]}})
            continue
        if "raw_update" in op:  # an Update of our own condition (the table name added here)
            ops.append({"Update": {"TableName": name, **op["raw_update"]}})
            continue
        spec = op["update"]
        names = {f"#f{i}": k for i, k in enumerate(spec["set"])}
        values = {f":v{i}": v for i, v in enumerate(spec["set"].values())}
        expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(names)))
        if spec.get("remove"):
            names.update({f"#r{i}": k for i, k in enumerate(spec["remove"])})
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(spec["remove"])))
        update: dict[str, Any] = {
            "TableName": name, "Key": spec["key"], "UpdateExpression": expression,
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}
        if "condition" in spec:
            names["#c"], values[":c"] = spec["condition"]
            update["ConditionExpression"] = "attribute_exists(pk) AND #c = :c"
        ops.append({"Update": update})
    with aws_call():
        dynamodb().meta.client.transact_write_items(TransactItems=ops)
