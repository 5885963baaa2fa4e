"""« Mes connexions »: her sign-ins, with the device, the country and a masked address.

Cognito sees each sign-in, but tells its IP address and device only to its paid threat
protection's event history, and its PostAuthentication trigger receives neither. So a sign-in
is recorded where the request really arrives: at the API, on the call every page of the space
makes (GET /members/me), from what the gateway saw (the viewer's address and country from
CloudFront, the User-Agent). The token's sign-in session (`origin_jti`, kept across refreshes)
and its `auth_time` identify one sign-in, so it is written once, however many pages follow.

Cheap on purpose: a marker `FILE#SEEN#<session>` lives in her file, which every request already
reads (closed sessions are checked there), so a page of an already recorded session costs no
extra call; the first page of a new session makes one transaction (the sign-in and the marker).
Kept minimal: the address is masked before it is stored (its network only), the device is
stored as words, the raw User-Agent never; a sign-in is kept 12 months (TTL).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from domain.devices import (  # noqa: F401 - the history's helpers, named here as before
    Device,
    country,
    device,
    mask_ip,
    session_key,
    viewer_ip,
)
from domain.membership import load_file
from domain.sessions import SESSION_MAX_SECONDS
from members import repository
from members.models import LoginItem, LoginOut
from shared import clock
from shared.errors import Conflict, ServiceUnavailable
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count, logger

RETENTION_SECONDS = 365 * 24 * 3600  # « conservé 12 mois », as the page says
SEEN = "FILE#SEEN#"
class SignIn(BaseModel):
    """What the gateway saw of the request that opened a page of the space."""

    model_config = ConfigDict(frozen=True)
    auth_time: int | None = None  # epoch seconds, from the token
    user_agent: str | None = None
    viewer_address: str | None = None  # CloudFront-Viewer-Address
    source_ip: str | None = None
    viewer_country: str | None = None  # CloudFront-Viewer-Country


def record_sign_in(caller: Caller, seen: SignIn) -> None:
    """Record her sign-in once per session. Never fails the page: a sign-in left unrecorded
    because storage is unavailable is tried again on her next page."""
    if not caller.member_id or not caller.session_id:
        return
    key = session_key(caller.session_id)
    if any(item.get("sk") == SEEN + key for item in load_file(caller.member_id)):
        return
    now = clock.epoch()
    at = seen.auth_time if seen.auth_time and 0 < seen.auth_time <= now + 300 else now
    found = device(seen.user_agent)
    login = LoginItem(id=key, at=iso_paris(datetime.fromtimestamp(at, UTC)),
                      device=found.words, device_kind=found.kind,
                      ip=mask_ip(viewer_ip(seen.viewer_address, seen.source_ip)),
                      country=country(seen.viewer_country))
    try:
        repository.put_login(caller.member_id, login, at=at,
                             expires=at + RETENTION_SECONDS,
                             seen_until=at + SESSION_MAX_SECONDS)
        count("SignInRecorded")
    except Conflict:
        pass  # two first pages of one sign-in at once: the other one recorded it
    except ServiceUnavailable:
        logger.warning("sign-in not recorded", extra={"reason": "storage unavailable"})
        count("SignInNotRecorded")


def list_logins(caller: Caller, cursor: str | None, limit: int) -> Page[LoginOut]:
    items, nxt = repository.logins(caller.member, cursor, limit)
    current = session_key(caller.session_id) if caller.session_id else None
    return Page[LoginOut](items=[
        LoginOut(id=i.id, at=i.at, device=i.device, device_kind=i.device_kind, ip=i.ip,
                 country=i.country, current=i.id == current) for i in items], next=nxt)
