"""Who may use the advisors' routes: advisors only; anyone else gets the 404 of a missing
page (a member never learns the workspace exists)."""

from __future__ import annotations

from shared.errors import NotFound
from shared.identity import Caller

NOT_FOUND = "Cette page est réservée aux conseillers."


def require_advisor(caller: Caller) -> None:
    """Members (and anyone outside the advisors' group) get 404 here, as for a missing page."""
    if caller.role != "advisor":
        raise NotFound(NOT_FOUND)
