"""« Mes infos perso »: her contact details and preferences (optimistic locking, an audit
entry per change), and a new email address confirmed by a code sent there.

The profile is the member read model's `FILE#PROFILE` item: a change replaces it only if its
`version` is still the one she read, in the same transaction as the audit entry."""

from __future__ import annotations

from datetime import UTC, datetime

from domain import audit, events
from domain import notifications as notify
from domain.membership import PROFILE_SK, Profile, forget, load_file
from members import repository
from members.logic import codes, mails
from members.models import (
    AddressOut,
    ChannelsOut,
    EmailChangeIn,
    PendingEmailOut,
    PreferencesOut,
    ProfileIn,
    ProfileOut,
)
from members.rules import is_mobile, masked_email
from shared import attempts, clock
from shared.errors import Conflict, NotFound, Unprocessable
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count

EMAIL_CHANGE_SK = "FILE#EMAIL_CHANGE"
EMAIL_CHANGES_PER_HOUR = 5
STALE = ("Vos informations ont été modifiées entre-temps, peut-être depuis un autre appareil. "
         "Rechargez la page pour voir la dernière version, puis refaites votre modification : "
         "rien n'a été enregistré.")


def _file(member_id: str) -> tuple[dict, dict | None]:
    items = load_file(member_id)
    raw = next((i for i in items if i.get("sk") == PROFILE_SK), None)
    if raw is None:
        raise NotFound("Votre dossier d'adhérent est introuvable. Contactez votre mutuelle.",
                       code="no_member_file")
    pending = next((i for i in items if i.get("sk") == EMAIL_CHANGE_SK), None)
    return raw, pending


def _pending(item: dict | None) -> PendingEmailOut | None:
    if not item or item.get("state") == "used" or int(item.get("expires_at", 0)) <= clock.epoch():
        return None
    return PendingEmailOut(email=item["email"], expires_at=iso_paris(
        datetime.fromtimestamp(int(item["expires_at"]), UTC)))


def profile_out(raw: dict, pending: dict | None) -> ProfileOut:
    p = Profile.model_validate(raw)
    prefs = p.preferences
    return ProfileOut(
        member_number=p.member_id, first_name=p.first_name, last_name=p.last_name,
        email=p.email,
        address=AddressOut(line1=p.address.line1, line2=p.address.line2,
                           postcode=p.address.postcode, city=p.address.city,
                           country=p.address.country) if p.address else None,
        phone=p.phone,
        preferences=PreferencesOut(
            news=ChannelsOut(**prefs.news.model_dump()),
            reimbursements=ChannelsOut(**prefs.reimbursements.model_dump())),
        version=p.version, pending_email=_pending(pending))


def get_profile(caller: Caller) -> ProfileOut:
    return profile_out(*_file(caller.member))


CHANGE_LABELS = {"address": "adresse postale", "phone": "téléphone",
                 "preferences": "préférences de contact"}


def update_profile(caller: Caller, data: ProfileIn, origin: dict | None = None) -> ProfileOut:
    raw, pending = _file(caller.member)
    current = Profile.model_validate(raw)
    if data.version != current.version:
        raise Conflict(STALE, code="stale_version")
    prefs = data.preferences.model_dump()
    wants_sms = prefs["news"]["sms"] or prefs["reimbursements"]["sms"]
    if wants_sms and not is_mobile(data.phone):
        raise Unprocessable("Pour recevoir des SMS, indiquez un numéro de portable (06 ou 07).",
                            code="sms_needs_mobile",
                            fields={"phone": "numéro de portable nécessaire pour les SMS"})
    address = {**data.address.model_dump(exclude_none=True), "country": "France"}
    wanted = {"address": address, "phone": data.phone, "preferences": prefs}
    before = {"address": current.address.model_dump(exclude_none=True) if current.address
              else None, "phone": current.phone, "preferences": current.preferences.model_dump()}
    changed = [name for name in wanted if wanted[name] != before[name]]
    if not changed:
        return profile_out(raw, pending)
    item = {**{k: v for k, v in raw.items() if k != "phone"}, **wanted,
            "version": current.version + 1, "updated_at": iso_paris(clock.now())}
    try:
        repository.commit([
            {"replace": item, "expect": {"version": current.version}},
            audit.entry(current.member_id, who=f"{current.first_name} {current.last_name}",
                        role="member", action="profile_changed", target="coordonnées",
                        detail=", ".join(CHANGE_LABELS[name] for name in changed),
                        origin=origin),
            # The management system writes to her: it learns her new address with the change.
            *([events.AddressChanged(address=events.PostalAddress(**address))
               .operation(current.member_id)] if "address" in changed else [])])
    except Conflict:
        raise Conflict(STALE, code="stale_version") from None
    finally:
        forget()
    count("ProfileChanged")
    return profile_out({k: v for k, v in item.items() if v is not None}, pending)


# ------------------------------------------------------------------ a new email address
def start_email_change(caller: Caller, data: EmailChangeIn) -> PendingEmailOut:
    """Her password first; then a code to the new address (stored hashed), and a word to the
    current one at once (if it was not her, she can act before the code is used). When the
    new address already signs in to another account, no code is sent there but a word that
    it is taken: the answer is the same, so nobody learns from it whose address it is."""
    raw, _ = _file(caller.member)
    profile = Profile.model_validate(raw)
    if data.email == profile.email.lower():
        raise Unprocessable("C'est déjà l'adresse e-mail de votre compte.", code="same_email",
                            fields={"email": "c'est déjà votre adresse"})
    if not attempts.password_is_right(caller.sub, profile.email, data.password):
        count("EmailChangeRefused")
        raise Unprocessable("Le mot de passe n'est pas le bon : votre adresse e-mail n'a pas "
                            "été changée.", code="wrong_password",
                            fields={"password": "mot de passe incorrect"})
    attempts.limit([(attempts.whom("email_change", caller.member), EMAIL_CHANGES_PER_HOUR,
                  "Vous avez demandé beaucoup de codes en peu de temps.")])
    # Told first, on the address in use (a failure there stops the change: 503, nothing sent).
    repository.send(profile.email, *mails.email_change_asked(masked_email(data.email),
                                                             codes.CODE_MINUTES))
    owner = repository.find_user(data.email)
    code, stored = codes.new_code()
    if owner is None or owner == caller.sub:
        repository.send(data.email, *mails.email_code(code, codes.CODE_MINUTES))
    else:
        repository.send(data.email, *mails.email_in_use())
        count("EmailChangeToTakenAddress")
    item = {"pk": f"MEMBER#{caller.member}", "sk": EMAIL_CHANGE_SK, "type": "email_change",
            "email": data.email, **stored}
    repository.save(item)
    forget()
    return _pending(item)


def confirm_email_change(caller: Caller, code: str, origin: dict | None = None) -> ProfileOut:
    raw, pending = _file(caller.member)
    profile = Profile.model_validate(raw)
    result = codes.check(pending, code)
    if result.verdict == "none":
        raise Unprocessable("Aucun changement d'adresse n'est en attente : saisissez votre "
                            "nouvelle adresse pour recevoir un code.", code="no_pending_code",
                            fields={"code": "aucun code en attente"})
    if result.verdict == "used":
        raise Unprocessable("Ce code a déjà servi. Pour changer encore d'adresse, demandez un "
                            "nouveau code.", code="code_used", fields={"code": "code déjà utilisé"})
    if result.verdict == "expired":
        raise Unprocessable(f"Ce code a expiré (il est valable {codes.CODE_MINUTES} minutes) : "
                            "demandez-en un nouveau.", code="code_expired",
                            fields={"code": "code expiré"})
    if result.verdict == "exhausted" or (result.verdict == "wrong" and not result.attempts_left):
        raise Unprocessable("Trop d'essais avec ce code : demandez-en un nouveau.",
                            code="code_exhausted", fields={"code": "trop d'essais"})
    if result.verdict == "wrong":
        left = result.attempts_left
        raise Unprocessable(f"Ce code n'est pas le bon. Il vous reste {left} "
                            f"essai{'s' if left > 1 else ''}.", code="wrong_code",
                            fields={"code": "code incorrect"})
    new, old = pending["email"], profile.email
    if not repository.set_email(caller.sub, new) and repository.find_user(new) != caller.sub:
        # (She is the one signing in with it: an earlier try stopped after this step.)
        raise Conflict("Cette adresse sert déjà à se connecter à un autre compte : votre "
                       "adresse n'a pas été changée. Choisissez-en une autre ou contactez-nous.",
                       code="email_taken", fields={"code": "adresse déjà utilisée"})
    try:
        repository.commit([
            {"update": {"key": {"pk": raw["pk"], "sk": PROFILE_SK},
                        "set": {"email": new, "version": profile.version + 1},
                        "condition": ("version", profile.version)}},
            codes.used_operation(pending),
            audit.entry(profile.member_id, who=f"{profile.first_name} {profile.last_name}",
                        role="member", action="email_changed", target="adresse e-mail",
                        detail=f"{masked_email(old)} → {masked_email(new)}", origin=origin),
            events.EmailChanged(email=new).operation(profile.member_id),
            # Told on the old address: if it was not her, she can act.
            notify.email(profile.member_id, old, *mails.email_changed(masked_email(new)))])
    except Conflict:
        raise Conflict(STALE, code="stale_version") from None
    finally:
        forget()
    count("EmailChanged")
    return profile_out({**raw, "email": new, "version": profile.version + 1},
                       {**pending, "state": "used"})
