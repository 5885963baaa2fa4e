"""Routes of an advisor's sessions: signing out of this device or of every device, her open
sessions, each closable (members' are in the members function); and the need-to-know opening
of a member's file."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from shared.http import CurrentCaller, Page, PathId, Router, no_content
from support.logic import files, sessions
from support.models import AdvisorLogoutIn, AdvisorSessionOut, MemberFileOut, OpeningReason

router = Router()


@router.post("/support/advisor/logout", responses={204: {"description": "Session fermée"}})
def logout(who: CurrentCaller, body: AdvisorLogoutIn):
    sessions.logout(who, everywhere=body.everywhere)
    return no_content()


@router.get("/support/advisor/sessions")
def list_sessions(who: CurrentCaller) -> Page[AdvisorSessionOut]:
    return sessions.list_sessions(who)


@router.post("/support/advisor/sessions/<session_id>/close",
             responses={204: {"description": "Session fermée"}})
def close_session(who: CurrentCaller, session_id: PathId):
    sessions.close_session(who, session_id)
    return no_content()


MemberId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="Numéro d'adhérent")]
Via = Annotated[str | None, Query(
    max_length=120, pattern=r"^[0-9A-Za-z]{1,20}_[A-Za-z0-9_-]{1,60}$",
    description="Référence (conseiller) de la demande, du message ou du rappel qui amène au "
                "dossier : « <numéro>_<identifiant> »")]
Reason = Annotated[OpeningReason | None, Query(
    description="Motif, sans demande, message ou rappel de votre équipe : member_call, "
                "mail_received, complaint, quality_check, other (avec une note)")]
Note = Annotated[str | None, Query(max_length=200, description="Précision du motif")]


@router.get("/support/advisor/members/<member_id>")
def open_file(who: CurrentCaller, member_id: MemberId, via: Via = None, reason: Reason = None,
              note: Note = None) -> MemberFileOut:
    return files.open_file(who, member_id, via=via, reason=reason, note=note)
