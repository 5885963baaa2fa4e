"""One-time codes sent by email (a new address, a forgotten password, a new account) and the
limits on attempts.

A code is 6 digits, valid 15 minutes, for 5 tries. Only a slow salted hash of it is stored
(scrypt: reading the table would not give the codes away within their 15 minutes); it is
compared in constant time. A used code is marked, so a second use says so.

Attempts are counted per window of an hour in `LIMIT#<what>#<hash of whom>` items that expire
on their own (TTL): whom is hashed, so the table keeps no address a stranger typed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Literal

from members import repository
from shared import clock
from shared.errors import TooManyRequests

CODE_MINUTES = 15
CODE_ATTEMPTS = 5
WINDOW_SECONDS = 3600
# After expiry a code is kept a day more, so that a late use is told « expired », not
# « wrong ».
KEEP_SECONDS = 24 * 3600


def _digest(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1,
                          dklen=32).hex()


def new_code() -> tuple[str, dict]:
    """A fresh code, and what is stored of it (never the code itself)."""
    # 000000 is never issued: a page or a test may use it as a code that is always wrong.
    code = f"{secrets.randbelow(10**6 - 1) + 1:06d}"
    salt = secrets.token_hex(16)
    expires = clock.epoch() + CODE_MINUTES * 60
    digest = _digest(code, salt)
    # `state` names this very code while it waits: using it is a write conditioned on it, so
    # two uses at once (or a use racing a newer code) change things once at most.
    return code, {"salt": salt, "code_hash": digest, "expires_at": expires,
                  "attempts_left": CODE_ATTEMPTS, "state": f"pending#{digest[:16]}",
                  "ttl": expires + KEEP_SECONDS}


Verdict = Literal["ok", "wrong", "expired", "used", "exhausted", "none"]


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    attempts_left: int = 0  # after a wrong code


def check(stored: dict | None, code: str, now: int | None = None) -> Check:
    """What a typed code is worth against the stored one (nothing is written here)."""
    now = clock.epoch() if now is None else now
    if not stored or "code_hash" not in stored:
        return Check("none")
    if stored.get("state") == "used":
        return Check("used")
    if int(stored.get("expires_at", 0)) <= now:
        return Check("expired")
    left = int(stored.get("attempts_left", 0))
    if left <= 0:
        return Check("exhausted")
    if hmac.compare_digest(_digest(code, stored["salt"]), stored["code_hash"]):
        return Check("ok")
    return Check("wrong", attempts_left=left - 1)


def spend(stored: dict, result: Check) -> None:
    """Record a wrong try (one attempt less on this code)."""
    repository.spend_attempt(stored["pk"], stored["sk"], stored["code_hash"],
                             result.attempts_left)


def used_operation(stored: dict, now: int | None = None) -> dict:
    """The transaction operation marking the code used, only if it is still this code."""
    now = clock.epoch() if now is None else now
    return {"update": {"key": {"pk": stored["pk"], "sk": stored["sk"]},
                       "set": {"state": "used", "used_at": now},
                       "condition": ("state", stored["state"])}}


def whom(kind: str, value: str) -> str:
    return f"{kind}#{hashlib.sha256(value.encode()).hexdigest()[:40]}"


def in_minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def limit(counters: list[tuple[str, int, str]], now: int | None = None) -> None:
    """Count one attempt on each (counter, limit per hour, French reason) or refuse with 429
    and when to try again; a refused attempt is not counted."""
    now = clock.epoch() if now is None else now
    window = now // WINDOW_SECONDS
    reopens = (window + 1) * WINDOW_SECONDS
    full = repository.count_attempts([(name, most) for name, most, _ in counters],
                                     window=window, expires=reopens + WINDOW_SECONDS)
    if full is not None:
        wait = reopens - now
        raise TooManyRequests(
            f"{counters[full][2]} Pour votre sécurité, réessayez dans {in_minutes(wait)}.",
            retry_after_seconds=wait)
