"""Routes of the member's sessions: logging out ends the session at once."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header

from members import logic
from members.models import LogoutIn
from shared.http import CurrentCaller, Router, no_content

router = Router()


@router.post("/members/logout", responses={204: {"description": "Session fermée"}})
def logout(who: CurrentCaller, body: LogoutIn,
           authorization: Annotated[str, Header(alias="Authorization")] = ""):
    logic.logout(who, everywhere=body.everywhere,
                 access_token=authorization.removeprefix("Bearer ").strip())
    return no_content()
