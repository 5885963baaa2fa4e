"""Passkeys (« clés d'accès ») of an account, members' and advisors' alike: listing them,
adding one on this device, removing one. Cognito keeps the credentials (StartWebAuthnRegistration,
CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential, called with
her own access token through the relay client); the names she gives them are ours.

Names live under the account, `ACCOUNT#<sub>` / `PASSKEY#<hash of the credential id>`: a
passkey signs in to an account (a Cognito user), not to a member file. The same item shape
serves advisors, who have no member file; a trusted person acting for a member never reaches
them (she has her own account, and /members/* is out of any procuration's scope); and the
member file that advisors open holds no credential. The credential id is hashed in the key
(a sort key holds 1 KB at most; a credential id may be longer).

Adding a passkey or removing one asks for proof that she is the account's owner right now:
her password (counted by shared.attempts, like every credential change), or one of her
passkeys (a WEB_AUTHN sign-in her browser started with Cognito, completed here, the session it
opened closed at once). Each change is in her audit trail and told by email, with the name of
the passkey only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from domain import audit, outbox, repository
from domain.membership import forget, member_context
from domain.repository import CognitoRefused
from shared import attempts, clock
from shared.errors import NotFound, ServiceUnavailable, Unprocessable
from shared.identity import Caller, Unauthorized
from shared.ids import iso_paris
from shared.observability import count, logger
from shared.settings import get_settings

PREFIX = "PASSKEY#"
NAME_MAX = 40
PASSKEY_CHECKS_PER_HOUR = 5
CREDENTIAL_ID = r"^[A-Za-z0-9_-]{1,1400}$"


# ------------------------------------------------------------------------------- models
def _name(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())  # no line breaks nor runs of spaces in a label
    return value


PasskeyName = Annotated[str, BeforeValidator(_name),
                        StringConstraints(min_length=1, max_length=NAME_MAX),
                        Field(description=f"Le nom de la clé ({NAME_MAX} caractères au plus), "
                                          "par exemple « Mon téléphone »")]


class PasskeyProofIn(BaseModel):
    """A passkey sign-in her browser started (InitiateAuth USER_AUTH, WEB_AUTHN): Cognito's
    session and the browser's answer (AuthenticationResponseJSON, as a JSON string)."""

    model_config = ConfigDict(extra="forbid")
    session: Annotated[str, StringConstraints(min_length=20, max_length=4096)]  # Cognito's
    credential: Annotated[str, StringConstraints(min_length=2, max_length=16384)]


class ProofIn(BaseModel):
    """Who she is, asked again: her password, or one of her passkeys."""

    model_config = ConfigDict(extra="forbid")
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)] | None = None
    passkey: PasskeyProofIn | None = None


class RegistrationIn(BaseModel):
    """The browser's RegistrationResponseJSON (WebAuthn), passed on to Cognito as it is."""

    model_config = ConfigDict(extra="allow")
    id: Annotated[str, StringConstraints(pattern=CREDENTIAL_ID)]
    rawId: Annotated[str, StringConstraints(pattern=CREDENTIAL_ID)]  # noqa: N815 - WebAuthn's
    type: Literal["public-key"]
    response: dict[str, Any]


class PasskeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: PasskeyName
    credential: RegistrationIn


class PasskeyOut(BaseModel):
    id: str
    name: str
    created_at: str | None = None
    last_used_at: str | None = None
    device: str | None = None  # in French: where the passkey lives


class PasskeysOut(BaseModel):
    items: list[PasskeyOut]
    next: str | None = None


class OptionsOut(BaseModel):
    options: dict[str, Any] = Field(description="PublicKeyCredentialCreationOptionsJSON, pour "
                                                "startRegistration({optionsJSON})")


# ------------------------------------------------------------------------------- owner
@dataclass(frozen=True)
class Owner:
    """Whose passkeys: a member (her file's name, address and trail) or an advisor (her
    account's)."""

    sub: str
    role: str
    email: str
    name: str
    member_id: str | None

    @property
    def client_id(self) -> str:
        s = get_settings()
        return s.advisors_client_id if self.role == "advisor" else s.user_pool_client_id


def owner_of(caller: Caller) -> Owner:
    if caller.role == "advisor":
        email = repository.account_email(get_settings().advisors_user_pool_id, caller.sub)
        if not email:
            raise ServiceUnavailable()
        return Owner(sub=caller.sub, role="advisor", email=email, name=caller.name or email,
                     member_id=None)
    ctx = member_context(caller.member)
    return Owner(sub=caller.sub, role="member", email=ctx.profile.email, name=ctx.member_name,
                 member_id=ctx.member_id)


def _key(credential_id: str) -> str:
    return PREFIX + hashlib.sha256(credential_id.encode()).hexdigest()[:40]


DEVICES = {"platform": "Cet appareil (ordinateur ou téléphone)",
           "cross-platform": "Une clé de sécurité ou un autre appareil"}


# ------------------------------------------------------------------------------- refusals
def _refused(refusal: CognitoRefused) -> Exception:
    code = refusal.code
    if code == "NotAuthorizedException":
        return Unauthorized()
    if code == "WebAuthnChallengeNotFoundException":
        return Unprocessable("Le délai pour créer la clé d'accès est dépassé : recommencez "
                             "l'ajout depuis le début.", code="passkey_expired")
    if code == "LimitExceededException":
        return Unprocessable("Vous avez déjà le nombre maximal de clés d'accès : supprimez-en "
                             "une avant d'en ajouter une autre.", code="passkey_limit")
    if code == "WebAuthnCredentialNotSupportedException":
        return Unprocessable("Cet appareil propose un type de clé d'accès que nous n'acceptons "
                             "pas. Essayez avec un autre appareil ou gestionnaire de mots de "
                             "passe.", code="passkey_not_supported")
    if code == "TooManyRequestsException":
        return ServiceUnavailable()
    return Unprocessable("Cette clé d'accès n'a pas pu être vérifiée : rien n'a été "
                         "enregistré. Recommencez l'ajout depuis cette page.",
                         code="passkey_refused")


def _wrong_password() -> Unprocessable:
    return Unprocessable("Le mot de passe n'est pas le bon : rien n'a été changé.",
                         code="wrong_password", fields={"password": "mot de passe incorrect"})


def _prove(owner: Owner, proof: ProofIn) -> str:
    """Her password or one of her passkeys, right now; answers how she proved it."""
    if proof.password is not None:
        if not attempts.password_is_right(owner.sub, owner.email, proof.password,
                                          owner.client_id):
            count("PasskeyChangeRefused")
            raise _wrong_password()
        return "mot de passe"
    if proof.passkey is not None:
        now = clock.epoch()
        counter = attempts.whom("passkey", owner.sub)
        attempts.limit([(counter, PASSKEY_CHECKS_PER_HOUR,
                         "Trop d'essais de clé d'accès en peu de temps : rien n'a été "
                         "changé.")], now)
        try:
            ok = repository.passkey_sign_in(owner.client_id, owner.email,
                                            proof.passkey.session, proof.passkey.credential)
        except CognitoRefused:
            ok = False
        if not ok:
            count("PasskeyChangeRefused")
            raise Unprocessable("Votre clé d'accès n'a pas été reconnue, ou sa vérification a "
                                "expiré : rien n'a été changé. Réessayez, ou confirmez avec "
                                "votre mot de passe.", code="wrong_passkey",
                                fields={"passkey": "clé d'accès non reconnue"})
        repository.give_back_attempt(counter, window=now // attempts.WINDOW_SECONDS)
        return "clé d'accès"
    raise Unprocessable("Confirmez avec votre mot de passe ou avec une clé d'accès.",
                        code="proof_required", fields={"password": "information obligatoire"})


# ------------------------------------------------------------------------------- Cognito
def _call(action: str, **params: Any) -> dict[str, Any]:
    if not params.get("AccessToken"):
        raise Unauthorized()  # the gateway passed no bearer token: nothing to act with
    try:
        return repository.passkey_call(action, **params)
    except CognitoRefused as refusal:
        raise _refused(refusal) from None


def _cognito_list(token: str) -> list[dict[str, Any]]:
    credentials: list[dict[str, Any]] = []
    params: dict[str, Any] = {"AccessToken": token, "MaxResults": 20}
    for _ in range(10):  # Cognito keeps at most 20 passkeys a user: one page, rarely two
        answer = _call("ListWebAuthnCredentials", **params)
        credentials += answer.get("Credentials", [])
        if not answer.get("NextToken"):
            break
        params["NextToken"] = answer["NextToken"]
    return credentials


def _when(value: Any) -> str | None:
    if isinstance(value, datetime):
        return iso_paris(value)
    if isinstance(value, int | float):
        return iso_paris(datetime.fromtimestamp(value, tz=clock.now().tzinfo))
    return None


# ------------------------------------------------------------------------------- use cases
def list_passkeys(caller: Caller, token: str) -> PasskeysOut:
    named = {i["sk"]: i for i in repository.account_passkeys(caller.sub)}
    items = []
    for credential in _cognito_list(token):
        ours = named.get(_key(credential["CredentialId"]), {})
        items.append(PasskeyOut(
            id=credential["CredentialId"],
            name=ours.get("name") or credential.get("FriendlyCredentialName") or "Clé d'accès",
            created_at=ours.get("created_at") or _when(credential.get("CreatedAt")),
            last_used_at=ours.get("last_used_at"),
            device=DEVICES.get(credential.get("AuthenticatorAttachment") or "")))
    items.sort(key=lambda p: p.created_at or "", reverse=True)
    return PasskeysOut(items=items)


def creation_options(caller: Caller, token: str, proof: ProofIn) -> OptionsOut:
    owner = owner_of(caller)
    _prove(owner, proof)
    answer = _call("StartWebAuthnRegistration", AccessToken=token)
    options = answer.get("CredentialCreationOptions")
    if not isinstance(options, dict):
        raise ServiceUnavailable()
    count("PasskeyOptions")
    return OptionsOut(options=options)


def _operations(owner: Owner, *, action: str, detail: str, origin: dict | None,
                subject: str, body: str) -> list[dict]:
    """Her audit entry and the email that tells her, in her file (a member) or under her
    account (an advisor, who has no file): the same items, another partition."""
    pk_owner = owner.member_id or owner.sub
    entry = audit.entry(pk_owner, who=owner.name, role=owner.role, action=action,
                        target="clé d'accès", detail=detail, origin=origin)
    mail = outbox.email(pk_owner, owner.email, subject, body)
    if owner.member_id is None:
        for op in (entry, mail):
            op["put"]["pk"] = f"ACCOUNT#{owner.sub}"
    return [entry, mail]


def register(token: str, data: PasskeyIn) -> None:
    """Cognito takes the new credential (CompleteWebAuthnRegistration), before anything is
    written here: a refusal changes nothing. A retry (a double submit, or after a failure past
    this point) finds the challenge used and the credential already there: that is fine."""
    if not token:
        raise Unauthorized()
    credential = data.credential.model_dump(mode="json")
    try:
        repository.passkey_call("CompleteWebAuthnRegistration", AccessToken=token,
                                Credential=credential)
    except CognitoRefused as refusal:
        if refusal.code != "WebAuthnChallengeNotFoundException" or not any(
                c["CredentialId"] == data.credential.id for c in _cognito_list(token)):
            raise _refused(refusal) from None


def record(caller: Caller, data: PasskeyIn, origin: dict | None = None) -> PasskeyOut:
    """Her name for it, her audit entry and the email that tells her, in one transaction (once
    per Idempotency-Key: the route runs this through shared.idempotency)."""
    owner = owner_of(caller)
    now = iso_paris(clock.now())
    key = {"pk": f"ACCOUNT#{owner.sub}", "sk": _key(data.credential.id)}
    subject, body = mail_added(data.name)
    repository.write([
        {"update": {"key": key, "set": {"type": "passkey", "credential_id": data.credential.id,
                                        "name": data.name, "created_at": now}}},
        *_operations(owner, action="passkey_added", detail=data.name, origin=origin,
                     subject=subject, body=body)])
    forget()
    count("PasskeyAdded")
    attachment = (data.credential.model_extra or {}).get("authenticatorAttachment")
    return PasskeyOut(id=data.credential.id, name=data.name, created_at=now,
                      device=DEVICES.get(attachment) if isinstance(attachment, str) else None)


def remove(caller: Caller, token: str, credential_id: str, proof: ProofIn,
           origin: dict | None = None) -> None:
    owner = owner_of(caller)
    known = next((c for c in _cognito_list(token) if c["CredentialId"] == credential_id), None)
    if known is None:
        raise NotFound("Cette clé d'accès n'existe pas, ou a déjà été supprimée.",
                       code="passkey_not_found")
    how = _prove(owner, proof)
    _call("DeleteWebAuthnCredential", AccessToken=token, CredentialId=credential_id)
    ours = repository.account_item(owner.sub, _key(credential_id)) or {}
    name = ours.get("name") or known.get("FriendlyCredentialName") or "Clé d'accès"
    subject, body = mail_removed(name)
    try:
        repository.write([
            {"delete": {"key": {"pk": f"ACCOUNT#{owner.sub}", "sk": _key(credential_id)}}},
            *_operations(owner, action="passkey_removed", detail=f"{name} (confirmé par {how})",
                         origin=origin, subject=subject, body=body)])
    except ServiceUnavailable:
        # The passkey is gone from Cognito, as she asked: only its name and the trail are
        # left behind (the list reads Cognito's), logged.
        logger.exception("passkey removed, trail not written", extra={"action": "passkey_removed"})
        count("AuditWriteFailed")
    forget()
    count("PasskeyRemoved")


# ------------------------------------------------------------------------------- emails
def _sign(lines: list[str]) -> str:
    settings = get_settings()
    return "\n".join([*lines, "", "Nous ne vous demanderons jamais votre mot de passe ni de "
                      "valider une clé d'accès par téléphone, SMS ou e-mail.", "",
                      settings.brand_name, f"{settings.site_url}/"])


def mail_added(name: str) -> tuple[str, str]:
    return ("Une clé d'accès a été ajoutée à votre compte", _sign([
        "Bonjour,", "",
        f"Une clé d'accès nommée « {name} » vient d'être ajoutée à votre compte. Elle permet "
        "de vous connecter sans mot de passe, avec le déverrouillage de l'appareil qui la "
        "garde (empreinte, visage ou code).", "",
        "Si vous n'êtes pas à l'origine de cet ajout, changez votre mot de passe, supprimez "
        "cette clé dans « Mes clés d'accès » et appelez-nous sans attendre."]))


def mail_removed(name: str) -> tuple[str, str]:
    return ("Une clé d'accès a été supprimée de votre compte", _sign([
        "Bonjour,", "",
        f"La clé d'accès nommée « {name} » vient d'être supprimée de votre compte : elle ne "
        "permet plus de vous connecter. Votre mot de passe, lui, reste valable.", "",
        "Si vous n'êtes pas à l'origine de cette suppression, changez votre mot de passe et "
        "appelez-nous sans attendre."]))

