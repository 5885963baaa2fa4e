"""What a request says of the device and place it came from, as a member would say it
(« Firefox sur Windows », a country, a masked address), and the id a sign-in session is shown
under. Shared by the members' sign-in history and every session list (members' and advisors')."""

from __future__ import annotations

import hashlib
import ipaddress
import re

from pydantic import BaseModel, ConfigDict

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
