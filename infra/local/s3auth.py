"""What S3 checks on a presigned request, for the local stack (moto checks none of it).

A presigned GET: the SigV4 query signature over method, path, query and host, not expired. A
browser form POST: the policy's SigV4 signature, its expiration, and every condition of the
policy against the form's fields and the file's size (bucket, key, Content-Type, the
content-length range, the signing fields). Anything else is refused, as S3 refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP

from shared import clock

ALGORITHM = "AWS4-HMAC-SHA256"
_TS = "%Y%m%dT%H%M%SZ"


class Refused(Exception):
    """The request would be refused by S3 (403), with S3's error code."""

    def __init__(self, code: str, status: int = 403) -> None:
        super().__init__(code)
        self.code, self.status = code, status


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signing_key(secret: str, day: str, region: str, service: str = "s3") -> bytes:
    key = _hmac(f"AWS4{secret}".encode(), day)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def _credential(value: str, access_key: str, region: str) -> str:
    """The credential's date, once its key, region and service are checked."""
    parts = value.split("/")
    if len(parts) != 5 or parts[0] != access_key or parts[2] != region or parts[3] != "s3" \
            or parts[4] != "aws4_request":
        raise Refused("InvalidAccessKeyId")
    return parts[1]


def _timestamp(value: str) -> datetime:
    try:
        return datetime.strptime(value, _TS).replace(tzinfo=UTC)
    except ValueError:
        raise Refused("AuthorizationQueryParametersError", 400) from None


def verify_presigned_get(*, method: str, path: str, query: str, host: str, access_key: str,
                         secret: str, region: str, now: datetime | None = None) -> None:
    now = now or clock.now()
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs):
        raise Refused("AuthorizationQueryParametersError", 400)
    if "X-Amz-Signature" not in params and "X-Amz-Algorithm" not in params:
        raise Refused("AccessDenied")  # anonymous access to a private bucket
    needed = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
              "X-Amz-SignedHeaders", "X-Amz-Signature")
    if any(k not in params for k in needed) or params["X-Amz-Algorithm"] != ALGORITHM:
        raise Refused("AuthorizationQueryParametersError", 400)
    day = _credential(params["X-Amz-Credential"], access_key, region)
    signed_at = _timestamp(params["X-Amz-Date"])
    try:
        expires = int(params["X-Amz-Expires"])
    except ValueError:
        raise Refused("AuthorizationQueryParametersError", 400) from None
    if not 1 <= expires <= 604800 or signed_at.strftime("%Y%m%d") != day:
        raise Refused("AuthorizationQueryParametersError", 400)
    if now > signed_at + timedelta(seconds=expires) or signed_at > now + timedelta(minutes=15):
        raise Refused("AccessDenied")  # "Request has expired"
    if params["X-Amz-SignedHeaders"] != "host":
        raise Refused("SignatureDoesNotMatch")
    canonical_query = "&".join(
        f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
        for k, v in sorted(pairs) if k != "X-Amz-Signature")
    canonical_request = "\n".join([
        method, urllib.parse.quote(urllib.parse.unquote(path), safe="/-_.~"), canonical_query,
        f"host:{host}\n", "host", "UNSIGNED-PAYLOAD"])
    to_sign = "\n".join([ALGORITHM, params["X-Amz-Date"], f"{day}/{region}/s3/aws4_request",
                         hashlib.sha256(canonical_request.encode()).hexdigest()])
    expected = hmac.new(signing_key(secret, day, region), to_sign.encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, params["X-Amz-Signature"]):
        raise Refused("SignatureDoesNotMatch")


@dataclass(frozen=True)
class FormUpload:
    fields: dict[str, str]  # the form's fields, with the names as sent
    file_size: int


def parse_form(content_type: str, body: bytes) -> FormUpload:
    """A multipart/form-data body: its text fields, and the size of its `file` part."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        raise Refused("MalformedPOSTRequest", 400)
    fields: dict[str, str] = {}
    file_size = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            raise Refused("MalformedPOSTRequest", 400)
        payload = part.get_payload(decode=True) or b""
        if name == "file":
            file_size = len(payload)
            break  # S3 ignores fields after the file
        if name.lower() in {k.lower() for k in fields}:
            raise Refused("InvalidArgument", 400)
        fields[name] = payload.decode("utf-8", errors="replace")
    if file_size is None:
        raise Refused("InvalidArgument", 400)  # "POST requires exactly one file upload"
    return FormUpload(fields=fields, file_size=file_size)


def verify_post_policy(*, bucket: str, form: FormUpload, access_key: str, secret: str,
                       region: str, now: datetime | None = None) -> None:
    now = now or clock.now()
    fields = {k.lower(): v for k, v in form.fields.items()}
    for name in ("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
                 "x-amz-signature"):
        if name not in fields:
            raise Refused("InvalidArgument", 400)
    if fields["x-amz-algorithm"] != ALGORITHM:
        raise Refused("InvalidArgument", 400)
    day = _credential(fields["x-amz-credential"], access_key, region)
    expected = hmac.new(signing_key(secret, day, region), fields["policy"].encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["x-amz-signature"]):
        raise Refused("SignatureDoesNotMatch")
    try:
        policy = json.loads(base64.b64decode(fields["policy"], validate=True))
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        conditions = policy["conditions"]
    except (ValueError, KeyError, TypeError):
        raise Refused("InvalidPolicyDocument", 400) from None
    if now > expiration:
        raise Refused("AccessDenied")  # "Invalid according to Policy: Policy expired."
    values = {**fields, "bucket": bucket}
    covered = {"policy", "x-amz-signature", "file"}
    for condition in conditions:
        if isinstance(condition, dict):
            ((name, value),) = condition.items()
            name = name.lower()
            if values.get(name) != value:
                raise Refused("AccessDenied")
            covered.add(name)
        elif isinstance(condition, list) and len(condition) == 3:
            op, name, value = condition
            if op == "content-length-range":
                if not int(name) <= form.file_size <= int(value):
                    raise Refused("EntityTooLarge" if form.file_size > int(value)
                                  else "EntityTooSmall", 400)
                continue
            name = name.lstrip("$").lower()
            actual = values.get(name)
            if op == "eq" and actual != value or \
                    op == "starts-with" and not (actual or "").startswith(value):
                raise Refused("AccessDenied")
            covered.add(name)
        else:
            raise Refused("InvalidPolicyDocument", 400)
    # Every field of the form must be covered by a condition (except the signature's own).
    if set(fields) - covered - {"bucket"}:
        raise Refused("AccessDenied")
