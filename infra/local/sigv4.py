"""The check API Gateway makes on a route with `Authorizer: AWS_IAM`, for the local stack: the
request's SigV4 signature, recomputed with botocore's signer from the caller's secret (the
local management system's credentials), compared in constant time; the signing time within
five minutes of now. Anything else (no signature, a bearer token, another key) is refused with
403, as the gateway does."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from shared import clock

SKEW = timedelta(minutes=5)
_AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,"
                   r"\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$")


class SignatureError(Exception):
    pass


class SigV4Verifier:
    def __init__(self, keys: dict[str, str], region: str, service: str = "execute-api") -> None:
        self.keys, self.region, self.service = keys, region, service

    def verify(self, method: str, url: str, headers: dict[str, str], body: bytes,
               now: datetime | None = None) -> dict[str, Any]:
        """The caller's identity (as the gateway puts it in `authorizer.iam`)."""
        lower = {k.lower(): v for k, v in headers.items()}
        match = _AUTH.match(lower.get("authorization", "").strip())
        if not match:
            raise SignatureError("not signed")
        access_key, day, region, service, signed, signature = match.groups()
        secret = self.keys.get(access_key)
        if secret is None or region != self.region or service != self.service:
            raise SignatureError("unknown key or scope")
        stamp = lower.get("x-amz-date", "")
        try:
            at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError as exc:
            raise SignatureError("no signing time") from exc
        if stamp[:8] != day or abs((now or clock.now()) - at) > SKEW:
            raise SignatureError("signing time too far from now")
        names = signed.split(";")
        if "host" not in names or any(n not in lower for n in names):
            raise SignatureError("signed headers missing")
        request = AWSRequest(method=method, url=url, data=body,
                             headers={n: lower[n] for n in names})
        request.context["timestamp"] = stamp
        signer = SigV4Auth(Credentials(access_key, secret), self.service, self.region)
        expected = signer.signature(
            signer.string_to_sign(request, signer.canonical_request(request)), request)
        if not hmac.compare_digest(expected, signature):
            raise SignatureError("signature mismatch")
        from infra.local.events import iam_identity

        return iam_identity(access_key)


def sign(method: str, url: str, body: bytes, *, access_key: str, secret: str, region: str,
         headers: dict[str, str] | None = None) -> dict[str, str]:
    """Headers of a request signed as the management system signs its calls (boto3's signer)."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(access_key, secret), "execute-api", region).add_auth(request)
    return dict(request.headers.items())
