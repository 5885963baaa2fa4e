"""The card in the phone's wallet: issuing passes (Apple's `.pkpass`, Google's save link),
Apple's pass web service, and keeping each pass in step with the card.

A pass's content is derived from the card each time it is served (wallet_content.py), so it
is never stored; its item keeps a version (a digest of that content) and when it last
changed. When the card changes (a contract or beneficiary item written, a new year, the end
of cover) `refresh` gives the pass a new version and marks it for a push; the wallet updates
function (a stream consumer, contract/wallet_updates.py) sends the push through the
provider. Only issued passes are ever looked at.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from contract import repository
from contract.logic import card as cards
from contract.logic.wallet_apple import AppleKeys, pass_json, pkpass
from contract.logic.wallet_content import PassContent, of_card, voided
from contract.logic.wallet_google import GoogleKeys, generic_object, object_id, save_jwt, save_url
from contract.models import (
    AppleSerialsOut,
    FileLink,
    GoogleSaveOut,
    WalletAvailability,
    WalletOut,
)
from contract.providers.wallet_push import get_push_provider, wallet_settings
from domain import access
from domain import wallet as passes_of
from domain.membership import forget, member_context
from shared import clock
from shared.errors import AppError, NotFound, ServiceUnavailable
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count, logger
from shared.settings import get_settings

URL_SECONDS = 120
EXPIRY_TTL_DAYS = 400
NOT_CONFIGURED = ("L'ajout de la carte au téléphone n'est pas encore disponible : utilisez la "
                  "carte affichée sur cette page ou sa version PDF.")
CARD_GONE = ("Votre carte n'est plus valable : il n'y a plus de carte à ajouter à votre "
             "téléphone. Rien n'a été ajouté.")


class PassUnauthorized(AppError):
    """Apple's web service: the pass's authentication token is missing or wrong."""

    status = 401
    code = "unauthorized_pass"
    default_message = "Jeton du pass invalide."


class WalletUnavailable(ServiceUnavailable):
    retry_after_seconds = 3600


@dataclass(frozen=True)
class Keys:
    apple: AppleKeys | None
    google: GoogleKeys | None


def keys() -> Keys:
    """The wallet's keys; a part left empty in the secret is a wallet not offered."""
    arn = wallet_settings().secret_arn
    raw = repository.wallet_keys(arn) if arn else {}
    apple = google = None
    if all(raw.get(k) for k in ("pass_type_id", "team_id", "pass_certificate", "pass_key",
                                "wwdr_certificate")):
        apple = AppleKeys(pass_type_id=raw["pass_type_id"], team_id=raw["team_id"],
                          certificate_pem=raw["pass_certificate"], key_pem=raw["pass_key"],
                          wwdr_pem=raw["wwdr_certificate"])
    if all(raw.get(k) for k in ("google_issuer_id", "google_service_account_email",
                                "google_private_key")):
        google = GoogleKeys(issuer_id=raw["google_issuer_id"],
                            service_account_email=raw["google_service_account_email"],
                            private_key_pem=raw["google_private_key"],
                            key_id=raw.get("google_key_id"))
    return Keys(apple=apple, google=google)


def availability(caller: Caller) -> WalletOut:
    found = keys()

    def one(present: object) -> WalletAvailability:
        return WalletAvailability(available=present is not None,
                                  message=None if present is not None else NOT_CONFIGURED)

    return WalletOut(apple=one(found.apple), google=one(found.google))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def web_service_url() -> str:
    # The API is served under /api of the site's origin (CloudFront locally and on AWS).
    return f"{get_settings().site_url.rstrip('/')}/api/public/wallet/apple"


# ----------------------------------------------------------------------------- content
def content_of(member_id: str, item: dict | None = None) -> PassContent:
    """What the pass shows today: her card, or a voided pass once it is no more."""
    brand = get_settings().brand_name
    if item is not None and item.get("revoked"):
        return voided(brand, "Cette carte a été retirée de ce téléphone lors d'une "
                             "déconnexion de tous vos appareils.")
    ctx = member_context(member_id)
    if access.closed_on(access.ended_on(ctx.contracts), ctx.on):
        return voided(brand, "Le contrat de cette carte a pris fin.")
    if ctx.contract is None:
        return voided(brand, "Aucun contrat n'est en cours pour cette carte.")
    start, end = cards.validity(ctx, ctx.on)
    return of_card(cards.card_of(ctx, cards._code(ctx, start, end)))


def _live_content(caller: Caller) -> PassContent:
    content = content_of(caller.member)
    if content.voided:  # nothing to add: say so, change nothing
        raise NotFound(CARD_GONE, code="no_card")
    return content


def _new_item(kind: str, member_id: str, content: PassContent, token: str | None) -> dict:
    now = clock.epoch()
    return {"serial": secrets.token_urlsafe(16), "kind": kind, "member_id": member_id,
            "token_hash": _token_hash(token) if token else None,
            "version": content.version(), "updated": now, "created": now,
            "valid_to": content.valid_to.isoformat() if content.valid_to else None}


def _expiry_ttl() -> int:
    return clock.epoch() + EXPIRY_TTL_DAYS * 86400


# ----------------------------------------------------------------------------- issuing
def issue_apple(caller: Caller) -> FileLink:
    apple = keys().apple
    if apple is None:
        raise WalletUnavailable(NOT_CONFIGURED, code="wallet_unavailable")
    content = _live_content(caller)
    token = secrets.token_urlsafe(24)
    item = _new_item("apple", caller.member, content, token)
    data = pkpass(pass_json(content, keys=apple, serial=item["serial"], token=token,
                            web_service_url=web_service_url(),
                            organization=get_settings().brand_name), apple)
    key = f"members/{caller.member}/wallet/{item['serial']}.pkpass"
    repository.put_pass_file(key, data)
    try:
        repository.issue_pass(item, caller.member, item["valid_to"], _expiry_ttl(), [])
    except Exception:
        repository.drop_pass_file(key)  # no pass item points to it
        raise
    filename = f"carte-mutualiste-{content.valid_to.year if content.valid_to else ''}.pkpass"
    count("WalletApplePassIssued")
    return FileLink(url=repository.pass_link(key, URL_SECONDS, filename), filename=filename,
                    expires_at=iso_paris(clock.now() + timedelta(seconds=URL_SECONDS)))


def _origins() -> list[str]:
    site = get_settings().site_url.rstrip("/")
    return [site]


def issue_google(caller: Caller) -> GoogleSaveOut:
    google = keys().google
    if google is None:
        raise WalletUnavailable(NOT_CONFIGURED, code="wallet_unavailable")
    content = _live_content(caller)
    item = _new_item("google", caller.member, content, None)
    obj = generic_object(content, keys=google, serial=item["serial"],
                         brand_name=get_settings().brand_name)
    token = save_jwt(obj, keys=google, origins=_origins(), issued_at=clock.epoch())
    repository.issue_pass(item, caller.member, item["valid_to"], _expiry_ttl(), [])
    count("WalletGooglePassIssued")
    return GoogleSaveOut(save_url=save_url(token), serial=item["serial"])


# ----------------------------------------------------------------------------- Apple's web service
def _apple_keys_or_404(pass_type_id: str) -> AppleKeys:
    apple = keys().apple
    if apple is None or not hmac.compare_digest(apple.pass_type_id, pass_type_id):
        raise NotFound("Type de pass inconnu.", code="unknown_pass_type")
    return apple


def authenticate(pass_type_id: str, serial: str, authorization: str | None) -> tuple[
        AppleKeys, dict, str]:
    """The pass named, once its `ApplePass <token>` header matches (401 otherwise)."""
    apple = _apple_keys_or_404(pass_type_id)
    item = repository.wallet_pass(serial)
    if item is None or item.get("kind") != "apple":
        raise NotFound("Pass inconnu.", code="unknown_pass")
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme != "ApplePass" or not token or not hmac.compare_digest(
            _token_hash(token), item.get("token_hash") or ""):
        raise PassUnauthorized()
    return apple, item, token


def register(device: str, pass_type_id: str, serial: str, authorization: str | None,
             push_token: str) -> bool:
    """True when the device is new for this pass (201), False when known already (200)."""
    apple, item, _ = authenticate(pass_type_id, serial, authorization)
    return repository.register_device(serial, device, push_token, apple.pass_type_id,
                                      clock.epoch())


def unregister(device: str, pass_type_id: str, serial: str, authorization: str | None) -> None:
    authenticate(pass_type_id, serial, authorization)
    repository.unregister_device(serial, device)


def updated_serials(device: str, pass_type_id: str, since: str | None) -> AppleSerialsOut | None:
    """The device's passes changed after `since` (our own tag: epoch seconds), or None (204)."""
    _apple_keys_or_404(pass_type_id)
    after = int(since) if since and since.isdigit() and len(since) <= 12 else -1
    registered = [r["sk"] for r in repository.device_serials(device)
                  if r.get("pass_type_id") == pass_type_id]
    found = [p for p in repository.passes(registered) if int(p.get("updated", 0)) > after]
    if not found:
        return None
    return AppleSerialsOut(serialNumbers=sorted(p["serial"] for p in found),
                           lastUpdated=str(max(int(p["updated"]) for p in found)))


@dataclass(frozen=True)
class LatestPass:
    data: bytes | None  # None: not modified since (304)
    last_modified: str


def latest(pass_type_id: str, serial: str, authorization: str | None,
           if_modified_since: str | None) -> LatestPass:
    apple, item, token = authenticate(pass_type_id, serial, authorization)
    updated = int(item.get("updated", 0))
    last_modified = format_datetime(datetime.fromtimestamp(updated, UTC), usegmt=True)
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            since = None
        if since is not None and since.tzinfo is not None and int(since.timestamp()) >= updated:
            return LatestPass(None, last_modified)
    content = content_of(item["member_id"], item)
    data = pkpass(pass_json(content, keys=apple, serial=serial, token=token,
                            web_service_url=web_service_url(),
                            organization=get_settings().brand_name), apple)
    return LatestPass(data, last_modified)


def device_log(lines: list[str]) -> None:
    for line in lines[:100]:
        logger.info("wallet device log", extra={"line": line[:500]})


# ----------------------------------------------------------------------------- updates
def refresh(member_id: str) -> int:
    """Her passes whose content changed get a new version and a push to send. Answers how
    many changed. One Query when she has no pass (most members)."""
    index = passes_of.member_passes(member_id)
    changed = 0
    for entry in index:
        item = repository.wallet_pass(entry["serial"], consistent=True)
        if item is None or item.get("revoked"):
            continue
        content = content_of(member_id, item)
        if content.version() == item.get("version"):
            continue
        repository.new_version(
            item["serial"], version=content.version(),
            updated=max(clock.epoch(), int(item.get("updated", 0)) + 1),
            expiry=content.valid_to.isoformat() if content.valid_to else None,
            member_id=member_id, ttl=_expiry_ttl())
        changed += 1
    return changed


def push(serial: str) -> int:
    """Send the push of a pass marked for one; answers how many pushes went out."""
    item = repository.wallet_pass(serial, consistent=True)
    if item is None or not item.get("push_pending"):
        return 0
    provider = get_push_provider()
    found = keys()
    sent = 0
    if item["kind"] == "apple" and found.apple is not None:
        for device in repository.pass_devices(serial):
            provider.push_apple(push_token=device["push_token"],
                                pass_type_id=found.apple.pass_type_id, serial=serial)
            sent += 1
    elif item["kind"] == "google" and found.google is not None:
        forget()
        content = content_of(item["member_id"], item)
        provider.update_google(object_id=object_id(found.google, serial),
                               generic_object=generic_object(
                                   content, keys=found.google, serial=serial,
                                   brand_name=get_settings().brand_name))
        sent += 1
    repository.pushed(serial)
    count("WalletPushSent", sent)
    return sent


def daily(today: date) -> int:
    """The passes whose validity ended in the last three days (a new year, the end of cover):
    their members' passes refreshed. Runs just after midnight; a missed night is caught up."""
    members: set[str] = set()
    for back in (1, 2, 3):
        day = today - timedelta(days=back)
        members.update(e["member_id"] for e in repository.expiring(day.isoformat()))
    changed = 0
    for member_id in sorted(members):
        forget()
        changed += refresh(member_id)
    return changed
