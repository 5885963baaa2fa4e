"""Sessions end at once. After a logout (this device) or « log out of every device », every
API call with a token of that session is refused (401), although API Gateway's JWT authorizer
only checks signatures and expiry.

Markers live where each request already reads: in the member's file (`FILE#SESSION#<id>` for
one closed session, `FILE#SIGNOUT` for every session started before a time), read by the same
Query as her profile and contracts; for an account without a member file (an advisor), under
`ACCOUNT#<sub>`. A session marker expires (TTL) with the last token it could concern.
"""

from __future__ import annotations

from domain import repository
from domain.membership import forget, load_file
from shared import clock
from shared.identity import Caller, Unauthorized

SESSION = "SESSION#"
SIGNOUT = "SIGNOUT"
# A session's refresh token lives 12 hours (template): no token of it outlives that.
SESSION_MAX_SECONDS = 12 * 3600


def _markers(caller: Caller) -> tuple[str, list[dict]]:
    if caller.member_id:
        return "FILE#", load_file(caller.member_id)
    return "", repository.account_items(caller.sub)


def ensure_open(caller: Caller) -> None:
    """Refuse a token whose session was closed (401, as an expired token)."""
    prefix, items = _markers(caller)
    now = clock.epoch()
    for item in items:
        sk = item.get("sk", "")
        if sk == prefix + SIGNOUT and caller.issued_at <= int(item.get("signed_out_at", 0)):
            raise Unauthorized()
        if caller.session_id and sk == f"{prefix}{SESSION}{caller.session_id}" \
                and int(item.get("expires_at", now + 1)) > now:
            raise Unauthorized()


def sign_out_operation(*, member_id: str | None, sub: str, now: int | None = None) -> dict:
    """A transaction operation closing every session of an account started until `now` (the
    marker `close(everywhere=True)` writes), for a change that must end them all, such as a
    new password."""
    now = clock.epoch() if now is None else now
    pk, prefix = (f"MEMBER#{member_id}", "FILE#") if member_id else (f"ACCOUNT#{sub}", "")
    return {"update": {"key": {"pk": pk, "sk": prefix + SIGNOUT},
                       "set": {"type": "signout", "signed_out_at": now}}}


def close(caller: Caller, *, everywhere: bool) -> None:
    """Close the caller's session, or every session started until now."""
    now = clock.epoch()
    pk = f"MEMBER#{caller.member_id}" if caller.member_id else f"ACCOUNT#{caller.sub}"
    prefix = "FILE#" if caller.member_id else ""
    if everywhere:
        repository.put({"pk": pk, "sk": prefix + SIGNOUT, "type": "signout", "signed_out_at": now})
    elif caller.session_id:
        repository.put({"pk": pk, "sk": f"{prefix}{SESSION}{caller.session_id}", "type": "session",
                  "expires_at": now + SESSION_MAX_SECONDS,
                  "ttl": now + SESSION_MAX_SECONDS})
    forget()
