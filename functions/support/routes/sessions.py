"""Routes of an advisor's session: signing out of this device or of every device (members
sign out through the members function)."""

from shared.http import CurrentCaller, Router, no_content
from support.logic import sessions
from support.models import AdvisorLogoutIn

router = Router()


@router.post("/support/advisor/logout", responses={204: {"description": "Session fermée"}})
def logout(who: CurrentCaller, body: AdvisorLogoutIn):
    sessions.logout(who, everywhere=body.everywhere)
    return no_content()
