"""« Mes appareils et sessions »: her open sessions, each closable.

A session is one sign-in (the token's `origin_jti`, kept across refreshes), recorded on the
first page it opened (`members.logic.history`). It is open while it was not closed (one marker
per session), not signed out of everywhere since, and younger than its refresh token's life
(12 hours): nothing else can still call the API for her.
"""

from __future__ import annotations

from datetime import datetime

from domain import sessions
from domain.devices import session_key
from domain.sessions import SESSION_MAX_SECONDS
from members import repository
from members.models import SessionOut
from shared import clock
from shared.errors import NotFound
from shared.http import Page
from shared.identity import Caller


def _open(caller: Caller) -> list[SessionOut]:
    logins = repository.logins_since(caller.member, clock.epoch() - SESSION_MAX_SECONDS)
    current = session_key(caller.session_id) if caller.session_id else None
    found = [SessionOut(id=login.id, device=login.device, device_kind=login.device_kind,
                        country=login.country, started_at=login.at, current=login.id == current)
             for login in logins
             if sessions.is_open(caller, login.id,
                                 int(datetime.fromisoformat(login.at).timestamp()))]
    return sorted(found, key=lambda s: datetime.fromisoformat(s.started_at), reverse=True)


def list_sessions(caller: Caller) -> Page[SessionOut]:
    return Page[SessionOut](items=_open(caller), next=None)


def close_session(caller: Caller, session_id: str) -> None:
    """Close one of her open sessions: its next request is refused. Another member's, a closed
    or an unknown one: 404."""
    if not any(s.id == session_id for s in _open(caller)):
        raise NotFound("Cette session est introuvable, ou déjà fermée.")
    sessions.close_key(caller, session_id)
