"""Who is calling: the verified access token's `sub`, mapped to a member number and role, and
whether that token's session is still open.

The authorizer (API Gateway, or the local stack acting as it) has already verified the token's
signature and expiry; here we read its claims and look up `ACCOUNT#<sub>` (cached for the life
of a warm container: the mapping never changes for an account). API Gateway's JWT authorizer
does not know about logouts, so `domain.sessions` refuses a token whose session was closed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import AppError, Forbidden
from shared.repository import get_item
from shared.settings import get_settings

Role = Literal["member", "advisor"]


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    default_message = "Votre session a expiré. Reconnectez-vous."


class Acting(BaseModel):
    """Someone acting for the member (a procuration): who, for whom, within what."""

    model_config = ConfigDict(frozen=True)

    procuration_id: str
    grantee_sub: str
    grantee_name: str  # « Marc L. »
    principal_name: str  # « Fatima L. »
    scope: Literal["read", "act"]


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True)

    sub: str
    member_id: str | None
    role: Role
    name: str = ""  # an advisor's name, as members see it (« Camille R. »)
    team: str | None = None
    session_id: str | None = None  # the token's origin_jti: one login, across refreshes
    issued_at: int = 0  # epoch seconds
    auth_time: int = 0  # epoch seconds: when this session signed in (kept across refreshes)
    expires_at: int = 0
    # Set when a trusted person acts for the member: `sub` stays hers (her session),
    # `member_id` is the member's.
    acting: Acting | None = None

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


_accounts: dict[str, dict] = {}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def caller_from_claims(claims: dict | None) -> Caller:
    if not claims or claims.get("token_use") != "access" or not claims.get("sub"):
        raise Unauthorized()
    sub = str(claims["sub"])
    if sub not in _accounts:
        account = get_item(f"ACCOUNT#{sub}", "ACCOUNT")
        if not account:
            raise Forbidden("Ce compte n'est rattaché à aucun adhérent. Contactez votre "
                            "mutuelle.")
        _accounts[sub] = account
    account = _accounts[sub]
    member_id, stored_role = account.get("member_id"), account.get("role")
    groups = claims.get("cognito:groups") or []
    if isinstance(groups, str):  # API Gateway flattens lists to "[a b]"
        groups = groups.strip("[]").split()
    # An advisor is whoever the advisors' client signed in: that pool asks every sign-in for
    # its second factor. A token of another client is never an advisor's, whatever it says.
    advisors_client = get_settings().advisors_client_id
    by_advisors = bool(advisors_client) and claims.get("client_id") == advisors_client
    says_advisor = stored_role == "advisor" or "advisors" in groups
    if by_advisors != says_advisor:
        raise Forbidden("Les conseillers se connectent avec leur second facteur, les adhérents "
                        "avec leur espace adhérent : reconnectez-vous.", code="wrong_sign_in")
    role: Role = "advisor" if by_advisors else "member"
    return Caller(sub=sub, member_id=member_id, role=role,
                  name=account.get("display_name") or "", team=account.get("team"),
                  session_id=str(claims.get("origin_jti") or claims.get("jti") or "") or None,
                  issued_at=_int(claims.get("iat")), expires_at=_int(claims.get("exp")),
                  auth_time=_int(claims.get("auth_time")))
