"""An advisor's session: signing out of this device or of every device."""

from __future__ import annotations

from domain import sessions
from shared.identity import Caller
from support import repository
from support.logic.access import require_advisor


def logout(caller: Caller, *, everywhere: bool) -> None:
    """End this session of hers (or every one, her refresh tokens revoked first)."""
    require_advisor(caller)
    if everywhere:
        repository.sign_out_advisor(caller.sub)
    sessions.close(caller, everywhere=everywhere)
