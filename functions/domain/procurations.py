"""Procurations: a trusted adult acts for a member, within a scope and until a date she chose,
with her own account (which may have no contract of its own).

Three items per procuration, kept in step by the transactions below:

- `PROXY#<id>` / `PROXY`: the lookup, the one source of truth, read (strongly consistent) on
  every request made while acting, so that an end takes effect on the very next request; it
  also holds the invitation code (only its salted scrypt hash, as members.logic.codes does);
- `MEMBER#<principal>` / `PROXY#<id>`: the member's list (« Procurations données »);
- `ACCOUNT#<grantee sub>` / `PROXYFOR#<id>`: the trusted person's list, once she accepted.

Status: `invited` → `active` → `ended`. An invitation is valid 7 days and allows 5 tries of its
code, then it is locked. An active procuration whose `until` has passed is ended: every read
says so at once (`effective`), and the daily sweep (`sweep_expired`, run by the scheduled
notices function) writes the end and sends the emails. Bank details, credentials and the
member's own settings are never within reach: `allowed` is an allow-list by route key.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import re
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from domain import audit, repository
from domain.notifications import site_url
from domain.outbox import email as outbox_email
from shared import clock
from shared.dates import PARIS, add_months, fr_date_long
from shared.errors import Conflict, Forbidden, NotFound, TooManyRequests, Unprocessable
from shared.identity import Acting, Caller
from shared.ids import created_of, iso_paris, new_id
from shared.observability import count
from shared.settings import get_settings

Scope = Literal["read", "act"]
Status = Literal["invited", "active", "ended"]
EndReason = Literal["revoked", "ended_by_grantee", "expired", "invitation_expired", "declined"]

MAX_OPEN = 3  # invited or active at once, per member
MAX_MONTHS = 12
INVITATION_DAYS = 7
CODE_TRIES = 5
CODE_LENGTH = 8
# No 0/O, 1/I/L: a code read aloud or copied by hand is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
HEADER = "x-act-for"
ID_KIND = "P"
ID_PATTERN = re.compile(r"^P\d{8}T\d{6}-[0-9a-f]{8}$")

SCOPE_LABELS = {"read": "consulter son espace",
                "act": "consulter son espace et envoyer des demandes et des messages"}
END_LABELS = {"revoked": "retirée par l'adhérente ou l'adhérent",
              "ended_by_grantee": "arrêtée par la personne de confiance",
              "expired": "arrivée à son terme", "invitation_expired": "invitation expirée",
              "declined": "invitation refusée"}

# What a trusted person may reach (route keys of template.yaml). Never /members/* (profile,
# email, password, passkeys, sessions, exports, procurations), bank details, IBAN checks, card
# payments, data exports, nor anything of the advisors.
READ_ROUTES: frozenset[str] = frozenset({
    "GET /claims", "GET /claims/{claim_id}", "GET /claims/acts", "GET /claims/counters",
    "GET /claims/statements", "GET /claims/estimates", "GET /claims/estimates/{estimate_id}",
    "GET /contract", "GET /contract/guarantees", "GET /contract/contributions",
    "GET /contract/card",
    # Files made on demand from what she may read: her statements, her card.
    "POST /claims/statements/exports", "POST /contract/card/exports",
    "GET /documents", "GET /documents/filters", "GET /documents/{document_id}/link",
    "GET /documents/attestations",
    "GET /support/request-kinds", "GET /support/requests", "GET /support/requests/{request_id}",
    "GET /support/threads", "GET /support/threads/{thread_id}",
    "GET /support/threads/{thread_id}/attachments/{upload_id}",
    "GET /support/uploads/limits", "GET /support/wait", "GET /support/callback-slots",
    "GET /support/callbacks",
    "GET /services/places", "GET /services/place-kinds", "GET /services/places/{place_id}",
    "GET /services/towns",
    # Trop-perçus: reading them (paying one by card stays hers: /contract/payments).
    "GET /claims/overpayments", "GET /claims/overpayments/{overpayment_id}",
})
ACT_ROUTES: frozenset[str] = READ_ROUTES | frozenset({
    "POST /support/uploads", "POST /support/uploads/{upload_id}/confirm",
    "POST /support/requests/reimbursement", "POST /support/requests/reimbursement/duplicates",
    "POST /support/requests/other", "POST /support/requests/{request_id}/answer",
    "POST /support/requests/{request_id}/read",
    "POST /support/threads", "POST /support/threads/{thread_id}/messages",
    "POST /support/threads/{thread_id}/read",
    "POST /support/callbacks", "POST /support/callbacks/{callback_id}/cancel",
    "POST /claims/estimates",
    # Trop-perçus: asking for instalments or contesting are requests like the others.
    "POST /claims/overpayments/{overpayment_id}/instalments",
    "POST /claims/overpayments/{overpayment_id}/contest",
})
# Whatever a future allow-list says, these stay out of reach.
NEVER_PREFIXES = ("/members/", "/contract/bank-details", "/contract/iban-checks",
                  "/contract/payments", "/support/advisor/", "/public/", "/system/")

ENDED_MESSAGE = ("Cette procuration a pris fin (ou n'existe pas) : vous ne pouvez plus agir "
                 "pour cette personne. Revenez à votre propre espace ; si besoin, demandez-lui "
                 "une nouvelle invitation.")
BEYOND_MESSAGE = ("Cette action dépasse la procuration qui vous a été donnée : {what} La "
                  "personne qui vous l'a donnée peut le faire elle-même depuis son espace.")


class Procuration(BaseModel):
    """The lookup item `PROXY#<id>` / `PROXY`."""

    model_config = ConfigDict(extra="ignore")
    id: str
    principal_id: str
    principal_name: str  # « Fatima L. »
    grantee_first_name: str
    grantee_last_name: str
    grantee_email: str
    grantee_sub: str | None = None
    scope: Scope
    until: date
    status: Status
    created_at: str
    started_at: str | None = None
    ended_at: str | None = None
    end_reason: EndReason | None = None
    first_used_at: str | None = None
    invitation_expires_at: int = 0
    version: int = 1

    @property
    def grantee_name(self) -> str:
        return display_name(self.grantee_first_name, self.grantee_last_name)


def display_name(first_name: str, last_name: str) -> str:
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def lookup_key(procuration_id: str) -> tuple[str, str]:
    return f"PROXY#{procuration_id}", "PROXY"


def valid_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value or "")) and created_of(value, ID_KIND) is not None


# ----------------------------------------------------------------------------- state
def effective(p: Procuration, today: date | None = None,
              now: int | None = None) -> tuple[Status, EndReason | None]:
    """The status as of now: an active one past its `until`, or an invitation past its
    7 days, is ended whether or not the sweep has written it yet."""
    today = today or clock.today()
    now = clock.epoch() if now is None else now
    if p.status == "active" and p.until < today:
        return "ended", "expired"
    if p.status == "invited" and p.invitation_expires_at <= now:
        return "ended", "invitation_expired"
    return p.status, p.end_reason


def last_moment(until: date) -> str:
    """The end of its last day, Paris time (ISO 8601 with that day's offset)."""
    return datetime.combine(until, time(23, 59, 59), PARIS).isoformat()


def check_until(until: date, today: date | None = None) -> None:
    today = today or clock.today()
    latest = add_months(today, MAX_MONTHS)
    if until <= today:
        raise Unprocessable("La date de fin doit être après aujourd'hui.", code="invalid_until",
                            fields={"until": "date passée ou d'aujourd'hui"})
    if until > latest:
        raise Unprocessable(f"Une procuration dure 12 mois au plus : choisissez une date de fin "
                            f"au plus tard le {fr_date_long(latest)}.", code="invalid_until",
                            fields={"until": "12 mois au plus"})


# ----------------------------------------------------------------------------- the code
def _digest(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1,
                          dklen=32).hex()


def normalized(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def new_code() -> tuple[str, dict[str, Any]]:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    salt = secrets.token_hex(16)
    digest = _digest(code, salt)
    return code, {"salt": salt, "code_hash": digest, "attempts_left": CODE_TRIES,
                  "code_state": f"pending#{digest[:16]}"}


INVALID_CODE = ("Ce code ne correspond pas à l'invitation. Vérifiez-le dans le courriel reçu "
                "(8 caractères, sans espace).")
LOCKED = ("Trop d'essais : cette invitation est bloquée par sécurité. Demandez à la personne "
          "qui vous l'a envoyée de vous en adresser une nouvelle.")
NO_INVITATION = ("Cette invitation n'est plus valable : elle a expiré, a déjà servi ou a été "
                 "retirée. Demandez à la personne qui vous l'a envoyée de vous en adresser une "
                 "nouvelle.")


def _invitation(invitation_id: str, accepted_by: str | None = None
                ) -> tuple[Procuration, dict[str, Any] | None]:
    item = repository.get_consistent(*lookup_key(invitation_id)) if valid_id(invitation_id) \
        else None
    if not item:
        raise NotFound(NO_INVITATION, code="invitation_not_found")
    p = Procuration.model_validate(item)
    status, _ = effective(p)
    if accepted_by and status == "active" and p.grantee_sub == accepted_by:
        return p, None  # a double submit of her acceptance: it is done
    if status != "invited" or not str(item.get("code_state", "")).startswith("pending#"):
        raise Unprocessable(NO_INVITATION, code="invitation_ended",
                            fields={"invitation": "invitation plus valable"})
    return p, item


def check_code(invitation_id: str, code: str, *, accepted_by: str | None = None
               ) -> tuple[Procuration, dict[str, Any] | None]:
    """The invitation, once its code is right. A try is used before the code is compared (a
    burst of guesses gets no more than the 5 tries); then it is locked. (p, None) when the
    account `accepted_by` has already accepted it (a double submit)."""
    p, item = _invitation(invitation_id, accepted_by)
    if item is None:
        return p, None
    if int(item.get("attempts_left", 0)) <= 0:
        raise TooManyRequests(LOCKED, code="invitation_locked",
                              retry_after_seconds=max(60, p.invitation_expires_at
                                                      - clock.epoch()))
    left = repository.take_try(*lookup_key(p.id), item["code_hash"])
    if left is None:
        raise TooManyRequests(LOCKED, code="invitation_locked",
                              retry_after_seconds=max(60, p.invitation_expires_at
                                                      - clock.epoch()))
    if not hmac.compare_digest(_digest(normalized(code), item["salt"]), item["code_hash"]):
        count("ProcurationCodeRefused")
        if left == 0:
            raise TooManyRequests(LOCKED, code="invitation_locked",
                                  retry_after_seconds=max(60, p.invitation_expires_at
                                                          - clock.epoch()))
        tries = "1 essai" if left == 1 else f"{left} essais"
        raise Unprocessable(f"{INVALID_CODE} Il vous reste {tries}.", code="invalid_code",
                            fields={"code": "code erroné"})
    return p, item


# ----------------------------------------------------------------------------- emails
def _sign() -> str:
    return get_settings().brand_name


def _footer() -> list[str]:
    return ["", "Nous ne vous demanderons jamais votre mot de passe ni vos coordonnées "
            "bancaires par courriel.", "", _sign()]


def invitation_mail(p: Procuration, code: str) -> tuple[str, str]:
    link = f"{site_url()}/connexion/procuration/?invitation={p.id}"
    lines = [f"Bonjour {p.grantee_first_name},", "",
             f"{p.principal_name} vous invite à agir pour elle ou lui dans son espace adhérent "
             f"de {_sign()}, jusqu'au {fr_date_long(p.until)} : vous pourrez "
             f"{SCOPE_LABELS[p.scope]}.", "",
             f"Votre code d'invitation : {code}", "",
             f"Pour accepter, ouvrez ce lien et saisissez le code : {link}",
             "Vous pouvez vous connecter avec votre compte si vous en avez un, ou créer un compte "
             "sans contrat, avec cette adresse e-mail.", "",
             f"L'invitation est valable {INVITATION_DAYS} jours. Si vous ne connaissez pas "
             f"cette personne, ignorez ce message : rien ne se passera.", *_footer()]
    return (f"{p.principal_name} vous invite à agir pour elle ou lui", "\n".join(lines))


def _principal_mail(p: Procuration, moment: str) -> tuple[str, str]:
    who = f"{p.grantee_first_name} {p.grantee_last_name}"
    space = f"{site_url()}/espace/infos/procurations/"
    if moment == "started":
        subject = "Votre procuration a commencé"
        lead = (f"{who} a accepté votre procuration : jusqu'au {fr_date_long(p.until)}, elle "
                f"ou il peut {SCOPE_LABELS[p.scope]} pour vous.")
    elif moment == "used":
        subject = "Votre procuration vient d'être utilisée"
        lead = (f"{who} vient d'agir pour la première fois dans votre espace, avec la "
                f"procuration que vous lui avez donnée. Ce qu'elle ou il fait pour vous porte "
                f"la mention « par {p.grantee_name} pour {p.principal_name} ».")
    else:
        subject = "Votre procuration a pris fin"
        reason = {"revoked": "Vous y avez mis fin.",
                  "ended_by_grantee": f"{who} y a mis fin.",
                  "expired": f"Elle est arrivée à son terme, le {fr_date_long(p.until)}."}
        lead = (f"La procuration donnée à {who} a pris fin. "
                f"{reason.get(p.end_reason or '', '')} {who} n'a plus accès à votre espace.")
    lines = ["Bonjour,", "", lead, "",
             f"Vos procurations, à tout moment : {space}",
             "Vous n'êtes pas à l'origine de cette procuration ? Mettez-y fin depuis cette page "
             "et contactez votre mutuelle.", *_footer()]
    return subject, "\n".join(lines)


def _grantee_end_mail(p: Procuration) -> tuple[str, str]:
    lines = [f"Bonjour {p.grantee_first_name},", "",
             f"{p.principal_name} a mis fin à la procuration qu'elle ou il vous avait donnée : "
             "vous n'avez plus accès à son espace. Votre propre compte reste ouvert.",
             *_footer()]
    return (f"La procuration de {p.principal_name} a pris fin", "\n".join(lines))


def _to_principal(p: Procuration, moment: str) -> dict[str, Any]:
    from domain.membership import PROFILE_SK, Profile, load_file

    profile = next((Profile.model_validate(i) for i in load_file(p.principal_id)
                    if i.get("sk") == PROFILE_SK), None)
    if profile is None:  # no file to write to: nothing to tell
        return {}
    return outbox_email(p.principal_id, profile.email, *_principal_mail(p, moment),
                        reference=p.id)


# ----------------------------------------------------------------------------- writes
def _pointer_updates(p: Procuration, changes: dict[str, Any]) -> list[dict[str, Any]]:
    ops = [{"update": {"key": {"pk": f"MEMBER#{p.principal_id}", "sk": f"PROXY#{p.id}"},
                       "set": changes}}]
    if p.grantee_sub:
        ops.append({"update": {"key": {"pk": f"ACCOUNT#{p.grantee_sub}",
                                       "sk": f"PROXYFOR#{p.id}"}, "set": changes}})
    return ops


def _lookup_update(p: Procuration, changes: dict[str, Any]) -> dict[str, Any]:
    return {"update": {"key": dict(zip(("pk", "sk"), lookup_key(p.id), strict=True)),
                       "set": {**changes, "version": p.version + 1},
                       "condition": ("version", p.version)}}


def _event(p: Procuration, kind: str) -> dict[str, Any]:
    from domain.events import ProcurationEnded, ProcurationStarted

    if kind == "started":
        return ProcurationStarted(procuration_id=p.id, scope=p.scope, until=p.until,
                                  grantee_first_name=p.grantee_first_name,
                                  grantee_last_name=p.grantee_last_name,
                                  grantee_email=p.grantee_email,
                                  started_at=p.started_at or "").operation(p.principal_id)
    return ProcurationEnded(procuration_id=p.id, reason=p.end_reason or "revoked",
                            ended_at=p.ended_at or "").operation(p.principal_id)


def _member_view(p: Procuration) -> dict[str, Any]:
    """What the two lists show (the pointer items carry it, kept in step)."""
    return {"id": p.id, "status": p.status, "scope": p.scope, "until": p.until.isoformat(),
            "created_at": p.created_at, "started_at": p.started_at, "ended_at": p.ended_at,
            "end_reason": p.end_reason, "grantee_name": p.grantee_name,
            "grantee_email": p.grantee_email, "principal_name": p.principal_name}


def given(member_id: str) -> list[dict[str, Any]]:
    return [i for i in repository.member_file(member_id, "PROXY#") if i.get("type") == "proxy"]


def received(sub: str) -> list[dict[str, Any]]:
    return [i for i in repository.account_items(sub) if i.get("sk", "").startswith("PROXYFOR#")]


def with_effective(view: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """A list item as of now (an end not yet written by the sweep is shown)."""
    today = today or clock.today()
    out = dict(view)
    if view.get("status") == "active" and date.fromisoformat(view["until"]) < today:
        out.update(status="ended", end_reason="expired",
                   ended_at=view.get("ended_at")
                   or last_moment(date.fromisoformat(view["until"])))
    if view.get("status") == "invited" and int(view.get("invitation_expires_at", 0)) \
            <= clock.epoch():
        out.update(status="ended", end_reason="invitation_expired")
    return out


def invite(member_id: str, principal_name: str, principal_email: str, *, first_name: str,
           last_name: str, email: str, scope: Scope, until: date, key: str | None,
           member_pk: str, audit_who: str) -> Procuration:
    """A new invitation: the lookup (with the code's hash) and the member's item, the audit
    entry and the invitation email, in one transaction."""
    from shared import idempotency

    check_until(until)
    if email.strip().lower() == principal_email.strip().lower():
        raise Unprocessable("La personne de confiance doit avoir sa propre adresse e-mail, "
                            "différente de la vôtre.", code="same_email",
                            fields={"email": "adresse identique à la vôtre"})
    open_ones = [v for v in map(with_effective, given(member_id))
                 if v["status"] in ("invited", "active")]
    if len(open_ones) >= MAX_OPEN:
        raise Conflict(f"Vous avez déjà {MAX_OPEN} procurations en cours ou en attente : "
                       "mettez fin à l'une d'elles avant d'en donner une nouvelle.",
                       code="too_many_procurations")
    if any(v.get("grantee_email") == email for v in open_ones):
        raise Conflict("Une procuration est déjà en cours ou en attente pour cette adresse.",
                       code="already_invited", fields={"email": "déjà invitée"})
    procuration_id, created = new_id(ID_KIND)
    code, stored = new_code()
    p = Procuration(id=procuration_id, principal_id=member_id, principal_name=principal_name,
                    grantee_first_name=first_name, grantee_last_name=last_name,
                    grantee_email=email, scope=scope, until=until, status="invited",
                    created_at=created,
                    invitation_expires_at=clock.epoch() + INVITATION_DAYS * 86400)
    pk, sk = lookup_key(p.id)
    lookup = {**p.model_dump(mode="json", exclude_none=True), **stored, "pk": pk, "sk": sk,
              "type": "procuration", "first_used_at": ""}
    pointer = {**_member_view(p), "pk": f"MEMBER#{member_id}", "sk": f"PROXY#{p.id}",
               "type": "proxy", "invitation_expires_at": p.invitation_expires_at}
    try:
        repository.write([
            {"put": lookup}, {"put": pointer},
            *idempotency.marker(member_pk, "procuration", key, p.id),
            audit.entry(member_id, who=audit_who, role="member", action="procuration_given",
                        target=p.grantee_name, detail=f"{SCOPE_LABELS[scope]}, jusqu'au "
                                                      f"{fr_date_long(until)}"),
            outbox_email(member_id, email, *invitation_mail(p, code), reference=p.id)])
    except Conflict:
        first = idempotency.created_before(member_pk, "procuration", key)
        if first:
            earlier = repository.get_consistent(*lookup_key(first))
            if earlier:
                return Procuration.model_validate(earlier)
        raise
    count("ProcurationInvited")
    return p


def accept(p: Procuration, stored: dict[str, Any], *, grantee_sub: str,
           extra: list[dict[str, Any]] | None = None) -> Procuration:
    """The invitation accepted by the account `grantee_sub` (its code checked): active from
    now, the code used, the trusted person's item, the member told; all or nothing."""
    now = iso_paris(clock.now())
    started = p.model_copy(update={"status": "active", "grantee_sub": grantee_sub,
                                   "started_at": now})
    changes = {"status": "active", "started_at": now}
    ops = [
        {"update": {"key": dict(zip(("pk", "sk"), lookup_key(p.id), strict=True)),
                    "set": {**changes, "grantee_sub": grantee_sub, "version": p.version + 1,
                            "code_state": "used"},
                    "condition": ("code_state", stored["code_state"])}},
        {"update": {"key": {"pk": f"MEMBER#{p.principal_id}", "sk": f"PROXY#{p.id}"},
                    "set": changes}},
        {"put": {**_member_view(started), "pk": f"ACCOUNT#{grantee_sub}",
                 "sk": f"PROXYFOR#{p.id}", "type": "proxyfor"}},
        audit.entry(p.principal_id, who=started.grantee_name, role="proxy",
                    action="procuration_started", target=started.grantee_name,
                    detail=f"jusqu'au {fr_date_long(p.until)}"),
        {"put": {"pk": f"PROXYDUE#{p.until.isoformat()}", "sk": p.id, "type": "proxy_due",
                 "id": p.id}},
        _event(started, "started"),
        *[op for op in [_to_principal(started, "started")] if op],
        *(extra or []),
    ]
    try:
        repository.write(ops)
    except Conflict:
        raise Unprocessable(NO_INVITATION, code="invitation_ended",
                            fields={"invitation": "invitation plus valable"}) from None
    count("ProcurationStarted")
    return started


def get(procuration_id: str) -> Procuration | None:
    if not valid_id(procuration_id):
        return None
    item = repository.get_consistent(*lookup_key(procuration_id))
    return Procuration.model_validate(item) if item else None


def end(p: Procuration, reason: EndReason, *, audit_who: str, audit_role: str) -> Procuration:
    """End it now (the member, the trusted person, or the sweep at its term)."""
    now = iso_paris(clock.now())
    if reason == "expired":
        now = last_moment(p.until)
    ended = p.model_copy(update={"status": "ended", "ended_at": now, "end_reason": reason})
    changes = {"status": "ended", "ended_at": now, "end_reason": reason}
    was_active = p.status == "active"
    ops = [_lookup_update(p, {**changes, "code_state": "ended"}), *_pointer_updates(p, changes),
           audit.entry(p.principal_id, who=audit_who, role=audit_role,
                       action="procuration_ended", target=p.grantee_name,
                       detail=END_LABELS[reason])]
    if was_active:
        ops.append(_event(ended, "ended"))
        mail = _to_principal(ended, "ended")
        if mail:
            ops.append(mail)
        if reason == "revoked":
            ops.append(outbox_email(p.principal_id, p.grantee_email, *_grantee_end_mail(ended),
                                    reference=p.id))
    try:
        repository.write(ops)
    except Conflict:
        raise Conflict("Cette procuration vient de changer : rechargez la page.",
                       code="procuration_changed") from None
    count("ProcurationEnded")
    return ended


def sweep_expired(today: date | None = None) -> int:
    """The daily sweep: every active procuration whose `until` was yesterday or before is
    written ended, and the member told. Found through `PROXYDUE#<until>` index items."""
    today = today or clock.today()
    done = 0
    for back in range(1, 4):  # a missed night or two is caught up
        day = today - timedelta(days=back)
        for due in repository.due_on(day.isoformat()):
            p = get(due["id"])
            if p and p.status == "active" and p.until < today:
                try:
                    end(p, "expired", audit_who="Votre mutuelle", audit_role="system")
                    done += 1
                except Conflict:
                    continue
    return done


# ----------------------------------------------------------------------------- acting
_acting: contextvars.ContextVar[Acting | None] = contextvars.ContextVar("acting", default=None)


def acting_now() -> Acting | None:
    """Who acts for the member in this request (None when she acts herself)."""
    return _acting.get()


def forget() -> None:
    _acting.set(None)


def by() -> dict[str, str] | None:
    """What an item created now stores of its author when someone acts for the member."""
    a = _acting.get()
    return {"name": a.grantee_name, "for": a.principal_name} if a else None


def by_label(value: dict | None) -> str | None:
    if not value:
        return None
    return f"par {value.get('name', '')} pour {value.get('for', '')}"


def audit_who() -> str | None:
    a = _acting.get()
    return f"{a.grantee_name} pour {a.principal_name}" if a else None


def _route_path(route_key: str) -> str:
    return route_key.partition(" ")[2]


def allowed(scope: Scope, route_key: str) -> bool:
    if _route_path(route_key).startswith(NEVER_PREFIXES):
        return False
    return route_key in (READ_ROUTES if scope == "read" else ACT_ROUTES)


def _beyond(scope: Scope, route_key: str) -> Forbidden:
    path = _route_path(route_key)
    if path.startswith("/members/") or path == "/members":
        what = ("les informations personnelles, l'adresse e-mail, le mot de passe, les clés "
                "d'accès et les procurations restent réservés à la personne elle-même.")
    elif path.startswith(("/contract/bank-details", "/contract/iban-checks",
                          "/contract/payments")):
        what = "les coordonnées bancaires et les paiements restent réservés à la personne."
    elif scope == "read":
        what = "elle permet de consulter, pas d'envoyer des demandes ou des messages."
    else:
        what = "cette opération n'en fait pas partie."
    return Forbidden(BEYOND_MESSAGE.format(what=what), code="beyond_procuration")


def resolve(caller: Caller, procuration_id: str, route_key: str) -> Caller:
    """The caller as the member she acts for, or 403: one strongly consistent read of the
    lookup per request, so an end is seen by the very next request."""
    p = get(procuration_id) if caller.role == "member" else None
    if p is None or p.grantee_sub != caller.sub or effective(p)[0] != "active":
        raise Forbidden(ENDED_MESSAGE, code="procuration_ended")
    if not allowed(p.scope, route_key):
        raise _beyond(p.scope, route_key)
    acting = Acting(procuration_id=p.id, grantee_sub=caller.sub, grantee_name=p.grantee_name,
                    principal_name=p.principal_name, scope=p.scope)
    _acting.set(acting)
    if not p.first_used_at:
        _first_use(p)
    return caller.model_copy(update={"member_id": p.principal_id, "acting": acting})


def _first_use(p: Procuration) -> None:
    """The member is told of the first use, once (a write conditioned on no first use yet)."""
    now = iso_paris(clock.now())
    ops: list[dict[str, Any]] = [{"update": {
        "key": dict(zip(("pk", "sk"), lookup_key(p.id), strict=True)),
        "set": {"first_used_at": now}, "condition": ("first_used_at", "")}}]
    mail = _to_principal(p, "used")
    if mail:
        ops.append(mail)
    try:
        repository.write(ops)
        count("ProcurationFirstUse")
    except Conflict:
        pass  # another request told her first
