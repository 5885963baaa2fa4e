"""One-time codes sent by email (a new address, a forgotten password, a new account) and the
limits on attempts.

A code is 6 digits, valid 15 minutes, for 5 tries. Only a slow salted hash of it is stored
(scrypt: reading the table would not give the codes away within their 15 minutes); it is
compared in constant time. A try is used before the code is compared (tries sent at once each
use one), and a used code is marked, so a second use says so. How many codes may be asked is
limited by shared.attempts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from members import repository
from shared import clock

CODE_MINUTES = 15
CODE_ATTEMPTS = 5
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
    """What a typed code is worth against the stored one. A try is used first (a write), then
    the code is compared: a burst of guesses cannot get more tries than the code allows."""
    now = clock.epoch() if now is None else now
    if not stored or "code_hash" not in stored:
        return Check("none")
    if stored.get("state") == "used":
        return Check("used")
    if int(stored.get("expires_at", 0)) <= now:
        return Check("expired")
    if int(stored.get("attempts_left", 0)) <= 0:
        return Check("exhausted")
    left = repository.take_attempt(stored["pk"], stored["sk"], stored["code_hash"])
    if left is None:
        return Check("exhausted")
    if hmac.compare_digest(_digest(code, stored["salt"]), stored["code_hash"]):
        return Check("ok")
    return Check("wrong", attempts_left=left)


def used_operation(stored: dict, now: int | None = None) -> dict:
    """The transaction operation marking the code used, only if it is still this code."""
    now = clock.epoch() if now is None else now
    return {"update": {"key": {"pk": stored["pk"], "sk": stored["sk"]},
                       "set": {"state": "used", "used_at": now},
                       "condition": ("state", stored["state"])}}
