"""What the member space shows about the member herself."""

from __future__ import annotations

from members import repository
from members.models import BeneficiaryOut, FormulaOut, MeOut
from shared import sessions
from shared.identity import Caller
from shared.membership import member_context


def display_name(first_name: str, last_name: str) -> str:
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def get_me(caller: Caller) -> MeOut:
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
                           relationship_label=b.relationship_label)
            for b in ctx.beneficiaries.values()
        ],
    )


def logout(caller: Caller, *, everywhere: bool, access_token: str) -> None:
    """End this session (or every one of hers) for the API at once; on every device, Cognito
    also revokes her refresh tokens first, so no session can come back."""
    if everywhere:
        repository.sign_out_everywhere(access_token)
    sessions.close(caller, everywhere=everywhere)
