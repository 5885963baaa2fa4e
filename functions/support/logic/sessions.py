"""An advisor's session: signing out of this device or of every device."""

from __future__ import annotations

from domain import sessions
from shared.http import Page
from shared.identity import Caller
from support import repository
from support.logic.access import require_advisor
from support.models import AdvisorSessionOut


def logout(caller: Caller, *, everywhere: bool) -> None:
    """End this session of hers (or every one, her refresh tokens revoked first)."""
    require_advisor(caller)
    if everywhere:
        repository.sign_out_advisor(caller.sub)
    sessions.close(caller, everywhere=everywhere)


def list_sessions(caller: Caller) -> Page[AdvisorSessionOut]:
    require_advisor(caller)
    return Page[AdvisorSessionOut](items=[AdvisorSessionOut.model_validate(s)
                                          for s in sessions.advisor_sessions(caller)])


def close_session(caller: Caller, session_id: str) -> None:
    require_advisor(caller)
    sessions.close_advisor_session(caller, session_id)
