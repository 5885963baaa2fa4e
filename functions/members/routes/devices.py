"""Routes of « Mes appareils et sessions » and « Qui a consulté mon dossier »."""

from members.logic import openings, sessions
from members.models import OpeningOut, SessionOut
from members.routes.history import SignedInCaller
from shared.http import CurrentCaller, Cursor, Limit, Page, PathId, Router, no_content

router = Router()


@router.get("/members/me/sessions")
def list_sessions(who: SignedInCaller) -> Page[SessionOut]:
    # Her sign-in is recorded first (once per session): this page may be the first one of the
    # session to reach the API, its own session must be on it.
    return sessions.list_sessions(who)


@router.post("/members/me/sessions/<session_id>/close",
             responses={204: {"description": "Session fermée"}})
def close_session(who: CurrentCaller, session_id: PathId):
    sessions.close_session(who, session_id)
    return no_content()


@router.get("/members/me/accesses")
def list_accesses(who: CurrentCaller, cursor: Cursor = None, limit: Limit = 20
                  ) -> Page[OpeningOut]:
    return openings.list_openings(who, cursor, limit)
