"""Sessions end at once. After a logout (this device), « log out of every device », or one
session closed from the list of her sessions, every API call with a token of that session is
refused (401), although API Gateway's JWT authorizer only checks signatures and expiry.

Markers live where each request already reads: in the member's file (`FILE#SESSION#<key>` for
one closed session, `FILE#SIGNOUT` for every session started before a time), read by the same
Query as her profile and contracts; for an account without a member file (an advisor), under
`ACCOUNT#<sub>`. A session is named by `session_key` of the token's `origin_jti` (the id the
lists show; markers written before were named by the `origin_jti` itself: both are honoured).
A session marker expires (TTL) with the last token it could concern.

Advisors' sessions end after a working day: their refresh token lives 10 hours (template), and
whatever a token says, one whose sign-in (`auth_time`) is older than that is refused here.
Their sign-ins are recorded here too, per session (`SEEN#<key>` under `ACCOUNT#<sub>`, read
with the markers), since an advisor has no member file and no page that every visit opens.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from domain import repository
from domain.devices import country, device, session_key
from domain.membership import forget as forget_files
from domain.membership import load_file
from shared import clock
from shared.errors import Conflict, NotFound, ServiceUnavailable
from shared.identity import Caller, Unauthorized
from shared.ids import iso_paris
from shared.observability import count, logger

SESSION = "SESSION#"
SIGNOUT = "SIGNOUT"
SEEN = "SEEN#"  # an advisor's session, under ACCOUNT#<sub>
# A session's refresh token lives 12 hours (template): no token of it outlives that.
SESSION_MAX_SECONDS = 12 * 3600
# An advisor's: a working day (the advisors' client's RefreshTokenValidity, 10 hours).
ADVISOR_SESSION_MAX_SECONDS = 10 * 3600
WORKDAY_OVER = ("Par sécurité, une session de conseiller dure 10 heures au plus : votre "
                "journée est terminée. Reconnectez-vous pour continuer.")

_accounts: dict[str, list[dict]] = {}


def forget() -> None:
    """Start an invocation afresh (the member files and the accounts read for an earlier one)."""
    _accounts.clear()
    forget_files()


def account_items(sub: str) -> list[dict]:
    """The items of an account without a member file, read once per invocation."""
    if sub not in _accounts:
        _accounts[sub] = repository.account_items(sub)
    return _accounts[sub]


def _markers(caller: Caller) -> tuple[str, list[dict]]:
    if caller.member_id:
        return "FILE#", load_file(caller.member_id)
    return "", account_items(caller.sub)


def _where(caller: Caller) -> tuple[str, str]:
    """The partition and the sort key prefix of the caller's markers."""
    if caller.member_id:
        return f"MEMBER#{caller.member_id}", "FILE#"
    return f"ACCOUNT#{caller.sub}", ""


def max_seconds(caller: Caller) -> int:
    return ADVISOR_SESSION_MAX_SECONDS if caller.role == "advisor" else SESSION_MAX_SECONDS


def ensure_open(caller: Caller) -> None:
    """Refuse a token whose session was closed (401, as an expired token), and an advisor's
    token whose sign-in is older than a working day."""
    now = clock.epoch()
    if caller.role == "advisor":
        signed_in = caller.auth_time or caller.issued_at
        if not signed_in or now - signed_in > ADVISOR_SESSION_MAX_SECONDS:
            raise Unauthorized(WORKDAY_OVER, code="session_too_long")
    prefix, items = _markers(caller)
    names = set()
    if caller.session_id:
        names = {f"{prefix}{SESSION}{caller.session_id}",
                 f"{prefix}{SESSION}{session_key(caller.session_id)}"}
    for item in items:
        sk = item.get("sk", "")
        if sk == prefix + SIGNOUT and caller.issued_at <= int(item.get("signed_out_at", 0)):
            raise Unauthorized()
        if sk in names and int(item.get("expires_at", now + 1)) > now:
            raise Unauthorized()


def is_open(caller: Caller, key: str, started_at: int, items: list[dict] | None = None) -> bool:
    """Whether the caller's session `key`, signed in at `started_at`, is still open: not
    closed, not signed out of everywhere since, and young enough for its refresh token."""
    now = clock.epoch()
    if now - started_at >= max_seconds(caller):
        return False
    prefix, found = _markers(caller) if items is None else (_where(caller)[1], items)
    for item in found:
        sk = item.get("sk", "")
        if sk == prefix + SIGNOUT and started_at <= int(item.get("signed_out_at", 0)):
            return False
        if sk == f"{prefix}{SESSION}{key}" and int(item.get("expires_at", now + 1)) > now:
            return False
    return True


def sign_out_operation(*, member_id: str | None, sub: str, now: int | None = None) -> dict:
    """A transaction operation closing every session of an account started until `now` (the
    marker `close(everywhere=True)` writes), for a change that must end them all, such as a
    new password; once it is written, `wait_out_the_second()` before answering."""
    now = clock.epoch() if now is None else now
    pk, prefix = (f"MEMBER#{member_id}", "FILE#") if member_id else (f"ACCOUNT#{sub}", "")
    return {"update": {"key": {"pk": pk, "sk": prefix + SIGNOUT},
                       "set": {"type": "signout", "signed_out_at": now}}}


def wait_out_the_second() -> None:
    """Tokens tell their time to the second, and a sign-out of every session refuses every
    token of its own second too (one issued just before it is one of those it ends). So the
    answer waits for the next second (one at most, on rare changes): a sign-in made as soon as
    it is answered, by a quick hand or a password manager, is never refused with them."""
    time.sleep(1.01 - clock.now().microsecond / 1_000_000)


def close_key(caller: Caller, key: str) -> None:
    """Close one session of the caller's, named as the lists show it: its next request is
    refused."""
    now = clock.epoch()
    pk, prefix = _where(caller)
    repository.put({"pk": pk, "sk": f"{prefix}{SESSION}{key}", "type": "session",
                    "expires_at": now + SESSION_MAX_SECONDS, "ttl": now + SESSION_MAX_SECONDS})
    count("SessionClosed")


def close(caller: Caller, *, everywhere: bool) -> None:
    """Close the caller's session, or every session started until now."""
    now = clock.epoch()
    pk, prefix = _where(caller)
    if everywhere:
        repository.put({"pk": pk, "sk": prefix + SIGNOUT, "type": "signout", "signed_out_at": now})
        wait_out_the_second()
    elif caller.session_id:
        close_key(caller, session_key(caller.session_id))
    forget()


# ----------------------------------------------------------------------------- advisors
def record_advisor_sign_in(caller: Caller, *, user_agent: str | None,
                           viewer_country: str | None) -> None:
    """Record an advisor's session on its first request (one conditional write; later requests
    find it among the markers already read). Never fails the request."""
    if caller.role != "advisor" or not caller.session_id:
        return
    key = session_key(caller.session_id)
    if any(item.get("sk") == SEEN + key for item in account_items(caller.sub)):
        return
    now = clock.epoch()
    at = caller.auth_time if 0 < caller.auth_time <= now + 300 else now
    found = device(user_agent)
    item = {"pk": f"ACCOUNT#{caller.sub}", "sk": SEEN + key, "type": "advisor_session",
            "id": key, "at": at, "started_at": iso_paris(datetime.fromtimestamp(at, UTC)),
            "device": found.words, "device_kind": found.kind,
            "ttl": at + ADVISOR_SESSION_MAX_SECONDS}
    where = country(viewer_country)
    if where:
        item["country"] = where
    try:
        repository.put_new(item)
        _accounts.setdefault(caller.sub, []).append(item)
        count("AdvisorSignInRecorded")
    except Conflict:
        pass  # two first requests of one session at once: the other one recorded it
    except ServiceUnavailable:
        logger.warning("advisor sign-in not recorded", extra={"reason": "storage unavailable"})


def advisor_sessions(caller: Caller) -> list[dict]:
    """The advisor's open sessions, newest first: {id, device, device_kind, country?,
    started_at, current}."""
    items = account_items(caller.sub)
    current = session_key(caller.session_id) if caller.session_id else None
    found = [i for i in items if i.get("sk", "").startswith(SEEN)
             and is_open(caller, i["id"], int(i.get("at", 0)), items)]
    found.sort(key=lambda i: int(i.get("at", 0)), reverse=True)
    return [{"id": i["id"], "device": i.get("device", "Appareil inconnu"),
             "device_kind": i.get("device_kind", "unknown"), "country": i.get("country"),
             "started_at": i["started_at"], "current": i["id"] == current} for i in found]


def close_advisor_session(caller: Caller, key: str) -> None:
    """Close one of her open sessions; another's, a closed or an unknown one: 404."""
    if not any(s["id"] == key for s in advisor_sessions(caller)):
        raise NotFound("Cette session est introuvable, ou déjà fermée.")
    close_key(caller, key)
