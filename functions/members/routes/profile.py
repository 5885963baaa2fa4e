"""Routes of the member's own profile."""

from members.logic import me
from members.models import MeOut
from members.routes.history import SignedInCaller
from shared.http import Router

router = Router()


@router.get("/members/me")
def get_me(who: SignedInCaller) -> MeOut:
    return me.get_me(who)
