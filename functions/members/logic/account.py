"""The account's life before sign-in (public routes, no token): « Je n'ai pas encore de
compte » and « Mot de passe oublié ».

Both answer the first step the same way whatever was found, so that they tell nobody whether
a member, an account or an address exists, and do the same work (a code made, an item stored,
one email sent to the typed address) so that the answer time does not tell it either; the
code goes to the address on file, which only its owner reads. Attempts are limited per member
number and per address (429 with when to retry), each code has 5 tries.

Forgotten passwords go through our own code and Cognito's AdminSetUserPassword, not Cognito's
ForgotPassword: the same code machinery as a new account or a new address, our own branded
mail through SES (Cognito's own sender is capped and unbranded), our limits, the audit entry
advisors read before a bank-detail change, every session closed after a reset, and the same
behaviour on the local stack as on AWS. The pool is set to `admin_only` recovery, so
Cognito's own flow cannot be used around ours."""

from __future__ import annotations

from domain import audit, sessions
from domain import notifications as notify
from domain.membership import PROFILE_SK, Beneficiary, Profile, forget, load_file
from members import repository
from members.logic import codes, mails
from members.models import (
    AccountCreatedOut,
    CodeSentOut,
    PasswordResetOut,
    ResetConfirmIn,
    ResetIn,
    SignupConfirmIn,
    SignupIn,
)
from members.rules import masked_email
from shared import attempts, clock
from shared.errors import Conflict, Unprocessable
from shared.ids import iso_paris
from shared.observability import count

SIGNUP_SK = "FILE#SIGNUP"
ACCOUNT_SK = "FILE#ACCOUNT"
PER_MEMBER_NUMBER = 5  # codes asked per hour
PER_ADDRESS = 5

SIGNUP_SENT = (
    "Si ces informations correspondent à un adhérent qui n'a pas encore de compte, nous venons "
    f"d'envoyer un code à cette adresse e-mail. Il est valable {codes.CODE_MINUTES} minutes. "
    "Rien reçu d'ici quelques minutes ? Vérifiez vos courriers indésirables et les informations "
    "saisies (elles doivent être celles de votre dossier), ou contactez votre mutuelle.")
RESET_SENT = (
    "Si un compte existe avec cette adresse, nous venons d'y envoyer un code. Il est valable "
    f"{codes.CODE_MINUTES} minutes. Rien reçu d'ici quelques minutes ? Vérifiez vos courriers "
    "indésirables et l'adresse saisie : c'est celle avec laquelle vous vous connectez.")
INVALID_CODE = ("Ce code n'est pas valable : il est erroné, a expiré ou a déjà servi. "
                "Vérifiez-le, ou demandez-en un nouveau.")


def _invalid() -> Unprocessable:
    return Unprocessable(INVALID_CODE, code="invalid_code", fields={"code": "code non valable"})


def _checked(stored: dict | None, code: str) -> None:
    """Refuse anything but the right code, always with the same words: they must not tell
    whether something was waiting (which would say that the member or the address exists)."""
    result = codes.check(stored, code)
    if result.verdict != "ok":
        count("CodeRefused")
        raise _invalid()


# -------------------------------------------------- « Je n'ai pas encore de compte »
def _member_file(member_number: str) -> tuple[dict | None, dict | None, dict | None,
                                               Beneficiary | None]:
    items = load_file(member_number)
    by_sk = {i.get("sk"): i for i in items}
    holder = next((Beneficiary.model_validate(i) for i in items
                   if i.get("sk", "").startswith("FILE#BENEF#")
                   and i.get("relationship") == "member"), None)
    return by_sk.get(PROFILE_SK), by_sk.get(SIGNUP_SK), by_sk.get(ACCOUNT_SK), holder


def start_signup(data: SignupIn) -> CodeSentOut:
    attempts.limit([
        (attempts.whom("signup", data.member_number), PER_MEMBER_NUMBER,
         "Beaucoup de demandes ont été faites pour ce numéro d'adhérent."),
        (attempts.whom("signup-email", data.email), PER_ADDRESS,
         "Beaucoup de demandes ont été faites pour cette adresse e-mail.")])
    raw, _, account, holder = _member_file(data.member_number)
    profile = Profile.model_validate(raw) if raw else None
    matches = (profile is not None and holder is not None
               and holder.birth_date == data.birth_date
               and profile.email.strip().lower() == data.email)
    code, stored = codes.new_code()
    # Only the owner of the address reads what is sent: it tells her, and nobody else.
    if matches and account:
        repository.send(data.email, *mails.signup_exists(profile.first_name))
    elif matches:
        repository.send(data.email, *mails.signup_code(profile.first_name, code,
                                                        codes.CODE_MINUTES))
        count("SignupCodeSent")
    else:
        repository.send(data.email, *mails.signup_unmatched())
    pk = f"MEMBER#{data.member_number}" if matches and not account else \
        f"SIGNUP#{attempts.whom('signup-miss', data.member_number).split('#', 1)[1]}"
    repository.save({"pk": pk, "sk": SIGNUP_SK, "type": "signup", "email": data.email,
                     **stored})
    forget()
    return CodeSentOut(message=SIGNUP_SENT, expires_in_minutes=codes.CODE_MINUTES)


def confirm_signup(data: SignupConfirmIn) -> AccountCreatedOut:
    raw, pending, account, _ = _member_file(data.member_number)
    _checked(pending, data.code)
    profile = Profile.model_validate(raw)
    if account:
        raise Conflict("Votre compte existe déjà : connectez-vous, ou choisissez « Mot de passe "
                       "oublié ? » sur la page de connexion.", code="account_exists")
    email = pending["email"]
    sub = repository.create_user(email)
    if sub is None:
        existing = repository.find_user(email)
        if existing is None or repository.account(existing):
            raise Conflict("Cette adresse e-mail sert déjà à se connecter à un autre compte. "
                           "Contactez votre mutuelle pour ouvrir votre accès.",
                           code="email_taken")
        sub = existing  # made by an earlier try of hers that stopped after this step
    if repository.set_password(sub, data.password) == "refused":
        raise Unprocessable("Ce mot de passe n'est pas accepté : choisissez-en un de 12 "
                            "caractères au moins, que vous n'utilisez nulle part ailleurs.",
                            code="password_refused", fields={"password": "mot de passe refusé"})
    now = iso_paris(clock.now())
    try:
        repository.commit([
            {"put": {"pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account",
                     "member_id": profile.member_id, "role": "member"}},
            {"put": {"pk": f"MEMBER#{profile.member_id}", "sk": ACCOUNT_SK,
                     "type": "account_link", "sub": sub, "created_at": now}},
            codes.used_operation(pending),
            audit.entry(profile.member_id, who=f"{profile.first_name} {profile.last_name}",
                        role="member", action="account_created", target="espace adhérent",
                        detail=masked_email(email)),
            notify.email(profile.member_id, email, *mails.account_created(profile.first_name))])
    except Conflict:
        raise Conflict("Votre compte existe déjà : connectez-vous avec votre adresse e-mail.",
                       code="account_exists") from None
    finally:
        forget()
    count("AccountCreated")
    return AccountCreatedOut(email=email, message="Votre compte est créé : vous pouvez vous "
                             "connecter avec votre adresse e-mail et votre mot de passe.")


# ------------------------------------------------------------------ « Mot de passe oublié »
def _reset_key(email: str) -> tuple[str, str]:
    return f"RESET#{attempts.whom('reset', email).split('#', 1)[1]}", "RESET"


def start_reset(data: ResetIn) -> CodeSentOut:
    attempts.limit([(attempts.whom("reset", data.email), PER_ADDRESS,
                  "Beaucoup de codes ont été demandés pour cette adresse.")])
    sub = repository.find_user(data.email)
    code, stored = codes.new_code()
    if sub:
        repository.send(data.email, *mails.reset_code(code, codes.CODE_MINUTES))
        count("ResetCodeSent")
    else:
        repository.send(data.email, *mails.reset_no_account())
    pk, sk = _reset_key(data.email)
    # Stored either way (the same work); without an account, the code went nowhere.
    repository.save({"pk": pk, "sk": sk, "type": "password_reset", "sub": sub or "", **stored})
    return CodeSentOut(message=RESET_SENT, expires_in_minutes=codes.CODE_MINUTES)


def confirm_reset(data: ResetConfirmIn) -> PasswordResetOut:
    stored = repository.get(*_reset_key(data.email))
    _checked(stored, data.code)
    sub = stored.get("sub")
    if not sub:
        raise _invalid()
    if repository.set_password(sub, data.new_password) == "refused":
        raise Unprocessable("Ce mot de passe n'est pas accepté : choisissez-en un de 12 "
                            "caractères au moins, que vous n'utilisez nulle part ailleurs.",
                            code="password_refused",
                            fields={"new_password": "mot de passe refusé"})
    repository.sign_out_user(sub)
    member_id = (repository.account(sub) or {}).get("member_id")
    operations = [codes.used_operation(stored),
                  sessions.sign_out_operation(member_id=member_id, sub=sub,
                                              now=clock.epoch())]
    if member_id:
        operations.append(audit.entry(member_id, who=f"{masked_email(data.email)} (code reçu "
                                      "par e-mail)", role="member", action="password_reset",
                                      target="mot de passe"))
        operations.append(notify.email(member_id, data.email, *mails.password_reset()))
    try:
        repository.commit(operations)
    except Conflict:
        raise _invalid() from None  # the same code used twice at once: once is enough
    finally:
        forget()
    sessions.wait_out_the_second()
    count("PasswordReset")
    if not member_id:  # an account without a member file: no outbox of hers to write to
        repository.send(data.email, *mails.password_reset())
    return PasswordResetOut(message="Votre mot de passe est changé et vos sessions ouvertes sont "
                            "fermées. Connectez-vous avec votre nouveau mot de passe.")
