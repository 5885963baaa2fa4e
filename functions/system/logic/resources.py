"""One resource sent on the IAM route: the same code as a line of an inbox file."""

from __future__ import annotations

from typing import Any

from shared.errors import Forbidden, Unprocessable
from shared.observability import count
from system.logic.ingest import apply_line
from system.models import Outcome


def apply_one(event: dict[str, Any], raw: bytes) -> Outcome:
    """Only a caller API Gateway authenticated with IAM (SigV4) gets here; a member's or an
    advisor's token never does (the gateway answers 403 first: this is the second lock)."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    if not authorizer.get("iam"):
        raise Forbidden("Cette route est réservée au système de gestion de la mutuelle.",
                        code="system_only")
    outcome = apply_line(raw, 1)
    count(f"Resource{outcome.status.capitalize()}")
    if outcome.status == "rejected":
        raise Unprocessable(f"Ressource refusée : {outcome.reason}", code="resource_rejected")
    return outcome
