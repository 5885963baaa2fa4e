"""What the member space shows about the member herself."""

from __future__ import annotations

from datetime import date

from domain import access, sessions, wallet
from domain.membership import member_context
from domain.situation import REGIME_LABELS, Situation
from members import repository
from members.models import (
    AccessOut,
    AldOut,
    BeneficiaryOut,
    FormulaOut,
    MeOut,
    PeriodOut,
    SituationOut,
)
from shared.identity import Caller


def display_name(first_name: str, last_name: str) -> str:
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def _period(periods, on: date) -> PeriodOut | None:
    found = next((p for p in periods if p.covers(on)), None)
    return PeriodOut(start=found.start, end=found.end) if found else None


def situation_out(situation: Situation, on: date) -> SituationOut:
    maternity = [p.maternity_period() for p in situation.pregnancies]
    upcoming = [m for m in maternity if m.end is None or m.end >= on]
    return SituationOut(
        regime=situation.regime, regime_label=REGIME_LABELS[situation.regime],
        ald=[AldOut(label=a.label, start=a.start, end=a.end) for a in situation.ald
             if a.end is None or a.end >= on],
        c2s=_period(situation.c2s, on), ame=_period(situation.ame, on),
        maternity=PeriodOut(start=upcoming[0].start, end=upcoming[0].end) if upcoming
        else None)


def get_me(caller: Caller) -> MeOut:
    from members.logic.procurations import acting_for

    # An account with no contract of its own (a trusted person's); an advisor has no member
    # space at all (`caller.member` refuses her).
    if not caller.member_id and caller.role == "member":
        account = repository.account(caller.sub) or {}
        first, last = account.get("first_name", ""), account.get("last_name", "")
        return MeOut(id="", member_number="", display_name=display_name(first, last),
                     first_name=first, last_name=last, email=account.get("email", ""),
                     formula=None, beneficiaries=[],
                     access=AccessOut(closed=False, ended_on=None, readable_until=None,
                                      message=None),
                     has_file=False, acting_for=acting_for(caller))
    ctx = member_context(caller.member)
    profile, contract = ctx.profile, ctx.contract
    return MeOut(
        id=profile.member_id,
        member_number=profile.member_id,
        display_name=display_name(profile.first_name, profile.last_name),
        first_name=profile.first_name,
        last_name=profile.last_name,
        email=profile.email,
        formula=FormulaOut(id=contract.formula_id, label=contract.formula_label)
        if contract else None,
        beneficiaries=[
            BeneficiaryOut(id=b.id, first_name=b.first_name, last_name=b.last_name,
                           birth_date=b.birth_date, rank=b.rank, relationship=b.relationship,
                           relationship_label=b.relationship_label,
                           situation=situation_out(b.situation, ctx.on))
            for b in ctx.beneficiaries.values()
        ],
        access=access_out(ctx),
        has_file=True,
        acting_for=acting_for(caller),
    )


def access_out(ctx) -> AccessOut:
    end = access.ended_on(ctx.contracts)
    if not access.closed_on(end, ctx.on):
        return AccessOut(closed=False, ended_on=None, readable_until=None, message=None)
    assert end is not None
    return AccessOut(closed=True, ended_on=end, readable_until=access.readable_until(end),
                     message=access.refusal(end, ctx.on).message)


def logout(caller: Caller, *, everywhere: bool) -> None:
    """End this session (or every one of hers) for the API at once; on every device, Cognito
    also revokes her refresh tokens first, so no session can come back."""
    if everywhere:
        repository.sign_out_user(caller.sub)
        if caller.member_id:  # a lost phone: her card's wallet passes show nothing of her
            wallet.revoke_all(caller.member_id)
    sessions.close(caller, everywhere=everywhere)
