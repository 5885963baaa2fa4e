"""Routes of the member's sessions: logging out ends the session at once."""

from members.logic import me
from members.models import LogoutIn
from shared.http import CurrentCaller, Router, no_content

router = Router()


@router.post("/members/logout", responses={204: {"description": "Session fermée"}})
def logout(who: CurrentCaller, body: LogoutIn):
    me.logout(who, everywhere=body.everywhere)
    return no_content()
