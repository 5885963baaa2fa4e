"""Routes of the member's own profile."""

from members.logic import me
from members.models import MeOut
from shared.http import CurrentCaller, Router

router = Router()


@router.get("/members/me")
def get_me(who: CurrentCaller) -> MeOut:
    return me.get_me(who)
