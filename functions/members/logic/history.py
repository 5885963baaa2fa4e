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

import hashlib
import ipaddress
import re
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

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
_COUNTRY = re.compile(r"^[A-Z]{2}$")
UNKNOWN_COUNTRIES = {"XX", "ZZ", "EU", "AP"}  # CloudFront's « not located » codes, regions

# (token in the User-Agent, browser), first match wins: Edge, Opera and Samsung Internet also
# write « Chrome », Chrome also writes « Safari ».
_BROWSERS = (
    (("Edg/", "EdgA/", "EdgiOS/"), "Edge"),
    (("OPR/", "OPiOS/", "Opera"), "Opera"),
    (("SamsungBrowser/",), "Samsung Internet"),
    (("Firefox/", "FxiOS/"), "Firefox"),
    (("CriOS/", "Chrome/", "HeadlessChrome/"), "Chrome"),
    (("Chromium/",), "Chromium"),
    (("Safari/",), "Safari"),
)
# (token, system as said in French, kind of device)
_SYSTEMS = (
    ("Windows", "Windows", "computer"),
    ("iPhone", "iPhone", "phone"),
    ("iPad", "iPad", "tablet"),
    ("Android", "Android", "phone"),  # a tablet says « Android » without « Mobile »
    ("CrOS", "ChromeOS", "computer"),
    ("Macintosh", "Mac", "computer"),
    ("Mac OS X", "Mac", "computer"),
    ("Linux", "Linux", "computer"),
)


class Device(BaseModel):
    model_config = ConfigDict(frozen=True)
    words: str  # « Chrome sur Android »
    kind: str  # phone, tablet, computer, unknown


def device(user_agent: str | None) -> Device:
    """The device of a User-Agent, as a member would say it: « Firefox sur Windows »."""
    ua = user_agent or ""
    browser = next((name for tokens, name in _BROWSERS if any(t in ua for t in tokens)), None)
    system, kind = next(((name, kind) for token, name, kind in _SYSTEMS if token in ua),
                        (None, "unknown"))
    if system == "Android" and "Mobile" not in ua:
        kind = "tablet"
    if browser and system:
        return Device(words=f"{browser} sur {system}", kind=kind)
    if browser:
        return Device(words=browser, kind=kind)
    if system:
        return Device(words=f"Navigateur inconnu sur {system}", kind=kind)
    return Device(words="Appareil inconnu", kind="unknown")


def viewer_ip(viewer_address: str | None, source_ip: str | None) -> str | None:
    """The viewer's address: CloudFront's `CloudFront-Viewer-Address` (« ip:port ») when the
    request came through the distribution, else the gateway's own source address."""
    if viewer_address:
        host = viewer_address.rpartition(":")[0] or viewer_address
        try:
            return str(ipaddress.ip_address(host.strip("[]")))
        except ValueError:
            pass
    try:
        return str(ipaddress.ip_address(source_ip or ""))
    except ValueError:
        return None


def mask_ip(ip: str | None) -> str | None:
    """Only the network: « 203.0.113.xxx », « 2001:db8:85a3:… ». Enough to recognise her
    provider, not to find her line."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv4Address):
        return ".".join(str(address).split(".")[:3]) + ".xxx"
    groups = address.exploded.split(":")[:3]
    return ":".join(g.lstrip("0") or "0" for g in groups) + ":…"


def country(code: str | None) -> str | None:
    code = (code or "").strip().upper()
    return code if _COUNTRY.match(code) and code not in UNKNOWN_COUNTRIES else None


def session_key(session_id: str) -> str:
    """A sign-in's id as stored and shown: derived from the token's session, not the session
    itself (which the API never hands out)."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:20]


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
