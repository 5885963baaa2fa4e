"""« Mes procurations »: the procurations she gave (invite a trusted adult, end one) and those
she received (accept an invitation with its code, end one); and an account with no contract of
its own, made from an invitation. The rules and the items are domain.procurations'."""

from __future__ import annotations

from domain import procurations as proxies
from domain.membership import forget, member_context
from members import repository
from members.logic.me import display_name
from members.models import (
    AcceptIn,
    AccountCreatedOut,
    ActingForOut,
    ProcurationAccountIn,
    ProcurationIn,
    ProcurationOut,
    ProcurationsOut,
)
from shared import clock
from shared.errors import Conflict, NotFound, Unprocessable
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count

NOT_FOUND = "Cette procuration est introuvable."


def _out(view: dict, side: str) -> ProcurationOut:
    v = proxies.with_effective(view)
    return ProcurationOut(
        id=v["id"], status=v["status"], scope=v["scope"],
        scope_label=proxies.SCOPE_LABELS[v["scope"]].capitalize(), until=v["until"],
        created_at=v["created_at"], started_at=v.get("started_at"),
        ended_at=v.get("ended_at"), end_reason=v.get("end_reason"),
        end_label=proxies.END_LABELS.get(v.get("end_reason") or ""),
        grantee_name=v.get("grantee_name") if side == "given" else None,
        grantee_email=v.get("grantee_email") if side == "given" else None,
        principal_name=v.get("principal_name") if side == "received" else None)


def _out_of(p: proxies.Procuration, side: str) -> ProcurationOut:
    view = {"id": p.id, "status": p.status, "scope": p.scope, "until": p.until.isoformat(),
            "created_at": p.created_at, "started_at": p.started_at, "ended_at": p.ended_at,
            "end_reason": p.end_reason, "grantee_name": p.grantee_name,
            "grantee_email": p.grantee_email, "principal_name": p.principal_name,
            "invitation_expires_at": p.invitation_expires_at}
    return _out(view, side)


def _newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda v: v.get("created_at", ""), reverse=True)


def invite(caller: Caller, data: ProcurationIn, key: str | None) -> ProcurationOut:
    ctx = member_context(caller.member)
    name = display_name(ctx.profile.first_name, ctx.profile.last_name)
    p = proxies.invite(caller.member, name, ctx.profile.email, first_name=data.first_name,
                       last_name=data.last_name, email=data.email, scope=data.scope,
                       until=data.until, key=key, member_pk=caller.member_pk,
                       audit_who=ctx.member_name)
    forget()
    return _out_of(p, "given")


def _a_members_account(caller: Caller) -> None:
    """Any member's account, with or without a contract of its own; never an advisor's."""
    if caller.role != "member":
        caller.member  # noqa: B018 - refuses (403), as on every member page


def list_all(caller: Caller) -> ProcurationsOut:
    _a_members_account(caller)
    given = proxies.given(caller.member_id) if caller.member_id else []
    return ProcurationsOut(given=[_out(v, "given") for v in _newest_first(given)],
                           received=[_out(v, "received")
                                     for v in _newest_first(proxies.received(caller.sub))])


def acting_for(caller: Caller) -> list[ActingForOut]:
    out = []
    for v in map(proxies.with_effective, _newest_first(proxies.received(caller.sub))):
        if v["status"] == "active":
            out.append(ActingForOut(id=v["id"], principal_name=v["principal_name"],
                                    scope=v["scope"], until=v["until"]))
    return out


def end(caller: Caller, procuration_id: str) -> None:
    """The member brings the end forward to now, or the trusted person stops; anyone else
    gets 404, as for a missing one."""
    _a_members_account(caller)
    p = proxies.get(procuration_id)
    if p is None:
        raise NotFound(NOT_FOUND)
    if caller.member_id and p.principal_id == caller.member_id:
        ctx = member_context(caller.member)
        reason, who, role = "revoked", ctx.member_name, "member"
    elif p.grantee_sub and p.grantee_sub == caller.sub:
        reason, who, role = "ended_by_grantee", p.grantee_name, "proxy"
    else:
        raise NotFound(NOT_FOUND)
    status, _ = proxies.effective(p)
    if status == "ended":
        raise Conflict("Cette procuration a déjà pris fin.", code="procuration_ended")
    proxies.end(p, reason, audit_who=who, audit_role=role)
    forget()


def accept(caller: Caller, data: AcceptIn) -> ProcurationOut:
    _a_members_account(caller)
    p, stored = proxies.check_code(data.invitation, data.code, accepted_by=caller.sub)
    if stored is None:
        return _out_of(p, "received")
    if caller.member_id and caller.member_id == p.principal_id:
        raise Unprocessable("Vous ne pouvez pas accepter une procuration que vous avez "
                            "vous-même donnée : l'invitation est destinée à votre personne de "
                            "confiance.", code="own_procuration")
    started = proxies.accept(p, stored, grantee_sub=caller.sub)
    forget()
    return _out_of(started, "received")


def create_account(data: ProcurationAccountIn) -> AccountCreatedOut:
    """Her account, made from the invitation (its code proves she reads the invited address),
    and the procuration accepted at once. Nothing is said of an address beyond what the
    invitation proves: the address must be the invited one."""
    p, stored = proxies.check_code(data.invitation, data.code)
    assert stored is not None
    if data.email != p.grantee_email.lower():
        raise Unprocessable("Créez votre compte avec l'adresse e-mail qui a reçu l'invitation.",
                            code="email_mismatch",
                            fields={"email": "adresse différente de celle de l'invitation"})
    sub = repository.create_user(data.email)
    if sub is None:
        existing = repository.find_user(data.email)
        if existing is None or repository.account(existing):
            raise Conflict("Un compte existe déjà avec cette adresse : connectez-vous, puis "
                           "acceptez l'invitation avec le même code.", code="account_exists")
        sub = existing  # made by an earlier try of hers that stopped after this step
    if repository.set_password(sub, data.password) == "refused":
        raise Unprocessable("Ce mot de passe n'est pas accepté : choisissez-en un de 12 "
                            "caractères au moins, que vous n'utilisez nulle part ailleurs.",
                            code="password_refused", fields={"password": "mot de passe refusé"})
    account = {"pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account", "role": "member",
               "first_name": p.grantee_first_name, "last_name": p.grantee_last_name,
               "email": data.email, "created_at": iso_paris(clock.now())}
    try:
        proxies.accept(p, stored, grantee_sub=sub, extra=[{"put": account}])
    except Unprocessable:
        raise Conflict("Votre compte existe déjà : connectez-vous avec votre adresse e-mail.",
                       code="account_exists") from None
    finally:
        forget()
    count("ProcurationAccountCreated")
    return AccountCreatedOut(email=data.email, message="Votre compte est créé et la "
                             "procuration acceptée : connectez-vous avec votre adresse e-mail "
                             "et votre mot de passe.")
