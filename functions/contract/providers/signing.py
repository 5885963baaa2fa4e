"""HMAC-SHA256 signatures of the sandbox provider, shared by the provider (our side) and the
local sandbox (the provider's side), so both sign and check exactly the same bytes.

Notification header: `t=<unix seconds>,v1=<hex>` where v1 = HMAC(key, "<t>." + raw body). The
timestamp is inside the signed bytes, so an old notification cannot be made fresh again; a
notification older than the tolerance is refused, and comparisons take constant time. Several
v1 values may be sent (while a key is being rotated): one matching is enough.
"""

from __future__ import annotations

import hashlib
import hmac

CHECKOUT_PREFIX = b"checkout."  # a checkout request's signature can never pass as a notification's


def _mac(key: str, message: bytes) -> str:
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def sign_notification(key: str, timestamp: int, body: bytes) -> str:
    """The header value for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={_mac(key, str(timestamp).encode() + b'.' + body)}"


class BadSignature(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # missing, malformed, stale, mismatch


def verify_notification(key: str, header: str | None, body: bytes, now: int,
                        tolerance: int) -> int:
    """The signed timestamp, when `header` is a valid signature of `body` made less than
    `tolerance` seconds from `now`. Raises BadSignature."""
    if not header:
        raise BadSignature("missing")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise BadSignature("malformed")
    if abs(now - timestamp) > tolerance:
        raise BadSignature("stale")
    expected = _mac(key, str(timestamp).encode() + b"." + body)
    # Compare every candidate (no early exit on the first mismatch of a rotation list).
    matches = [hmac.compare_digest(expected, c) for c in candidates]
    if not any(matches):
        raise BadSignature("mismatch")
    return timestamp


def sign_checkout(key: str, payload: str) -> str:
    return _mac(key, CHECKOUT_PREFIX + payload.encode())


def checkout_signature_is_valid(key: str, payload: str, signature: str) -> bool:
    return hmac.compare_digest(sign_checkout(key, payload), signature)
