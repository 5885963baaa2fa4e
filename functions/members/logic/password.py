"""Changing her password from « Mes infos perso »: the current password asked again (checked,
and limited per account, by shared.attempts), the new one set as administrator, then every
session ends, this one too (AdminUserGlobalSignOut revokes the refresh tokens, the sign-out
marker refuses the access tokens at once): whoever else was signed in is out, and she signs
in again with the new password. Cognito's own ChangePassword is closed to browsers (a stolen
access token would change the password without any of this).

Cognito and the table cannot change in one transaction. The password is what she asked for:
once Cognito has changed it, the answer says so, and says plainly when the sessions could
not be closed (she can then use « Se déconnecter de tous les appareils »)."""

from __future__ import annotations

from domain import audit, sessions
from domain.membership import forget, member_context
from domain.notifications import email
from members import repository
from members.logic import mails
from members.models import PasswordChangedOut, PasswordChangeIn
from shared import attempts
from shared.errors import ServiceUnavailable, Unprocessable
from shared.identity import Caller
from shared.observability import count, logger

POLICY = "12 caractères au moins"


def change_password(caller: Caller, data: PasswordChangeIn,
                    origin: dict | None = None) -> PasswordChangedOut:
    ctx = member_context(caller.member)
    if data.new_password == data.current_password:
        raise Unprocessable("Choisissez un nouveau mot de passe différent de l'actuel.",
                            code="same_password",
                            fields={"new_password": "identique au mot de passe actuel"})
    if not attempts.password_is_right(caller.sub, ctx.profile.email, data.current_password):
        count("PasswordChangeRefused")
        raise Unprocessable("Le mot de passe actuel n'est pas le bon : votre mot de passe n'a "
                            "pas été changé.", code="wrong_password",
                            fields={"current_password": "mot de passe incorrect"})
    if repository.set_password(caller.sub, data.new_password) == "refused":
        raise Unprocessable("Ce nouveau mot de passe n'est pas accepté : choisissez-en un de "
                            f"{POLICY}, que vous n'utilisez nulle part ailleurs.",
                            code="password_refused",
                            fields={"new_password": "mot de passe refusé"})
    signed_out = True
    try:
        repository.sign_out_user(caller.sub)
    except ServiceUnavailable:
        signed_out = False
        logger.exception("sessions not closed after a password change")
    operations = [audit.entry(ctx.member_id, who=ctx.member_name, role="member",
                              action="password_changed", target="mot de passe",
                              origin=origin),
                  email(ctx.member_id, ctx.profile.email, *mails.password_changed())]
    if signed_out:
        operations.append(sessions.sign_out_operation(member_id=ctx.member_id, sub=caller.sub))
    try:
        repository.commit(operations)
    except ServiceUnavailable:
        # The password is changed and Cognito revoked the sessions' renewals; only the trail
        # (and the at-once refusal of the other sessions' last tokens) is missing: logged.
        logger.exception("password changed, audit entry not written",
                         extra={"member": ctx.member_id, "action": "password_changed"})
        count("AuditWriteFailed")
    forget()
    count("PasswordChanged")
    if signed_out:
        sessions.wait_out_the_second()
        return PasswordChangedOut(
            signed_out_everywhere=True,
            message="Votre mot de passe est changé. Par sécurité, toutes vos sessions sont "
                    "fermées : reconnectez-vous avec votre nouveau mot de passe.")
    return PasswordChangedOut(
        signed_out_everywhere=False,
        message="Votre mot de passe est changé, mais la fermeture de vos autres sessions n'a "
                "pas abouti : utilisez « Se déconnecter de tous les appareils » ci-dessous.")
