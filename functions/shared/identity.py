"""Who is calling: the verified access token's `sub`, mapped to a member number and role.

The authorizer (API Gateway, or the local stack acting as it) has already verified the token;
here we only read its claims and look up `ACCOUNT#<sub>`. The mapping is cached for the life of
a warm container: it never changes for a given account.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import AppError, Forbidden
from shared.repository import get_item

Role = Literal["member", "advisor"]


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    default_message = "Votre session a expiré. Reconnectez-vous."


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True)

    sub: str
    member_id: str | None
    role: Role

    @property
    def member(self) -> str:
        """The caller's own member number; an advisor has none."""
        if not self.member_id:
            raise Forbidden("Cet espace est réservé aux adhérents : votre compte conseiller "
                            "n'a pas de dossier d'adhérent.", code="not_a_member")
        return self.member_id

    @property
    def member_pk(self) -> str:
        return f"MEMBER#{self.member}"


_cache: dict[str, Caller] = {}


def caller_from_claims(claims: dict | None) -> Caller:
    if not claims or claims.get("token_use") != "access" or not claims.get("sub"):
        raise Unauthorized()
    sub = str(claims["sub"])
    if sub in _cache:
        return _cache[sub]
    account = get_item(f"ACCOUNT#{sub}", "ACCOUNT")
    if not account:
        raise Forbidden("Ce compte n'est rattaché à aucun adhérent. Contactez votre mutuelle.")
    groups = claims.get("cognito:groups") or []
    if isinstance(groups, str):  # API Gateway flattens lists to "[a b]"
        groups = groups.strip("[]").split()
    role: Role = "advisor" if account.get("role") == "advisor" or "advisors" in groups \
        else "member"
    caller = Caller(sub=sub, member_id=account.get("member_id"), role=role)
    _cache[sub] = caller
    return caller
