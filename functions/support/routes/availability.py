"""Routes of the wait: what members are told, and advisors on or off duty."""

from shared.http import CurrentCaller, Router
from support.logic import availability
from support.models import DutyIn, DutyOut, WaitOut

router = Router()


@router.get("/support/wait")
def wait(who: CurrentCaller) -> WaitOut:
    return availability.wait_for(who)


@router.get("/support/advisor/duty")
def duty(who: CurrentCaller) -> DutyOut:
    return availability.duty(who)


@router.put("/support/advisor/duty")
def set_duty(who: CurrentCaller, body: DutyIn) -> DutyOut:
    return availability.set_duty(who, body.on_duty)
