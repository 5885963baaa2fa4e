"""The member's audit trail: who opened or changed what in her file, and when. Append only,
under MEMBER#<id> / AUDIT#<time>#<id>, written in the same transaction as what it records."""

from __future__ import annotations

import secrets

from domain import repository
from shared import clock


def entry(member_id: str, *, who: str, role: str, action: str, target: str,
          detail: str = "", origin: dict | None = None) -> dict:
    """A transaction operation: one entry of the member's audit trail. While someone acts
    for the member, the entry says so, whatever the caller wrote: « Marc L. pour Fatima L. »,
    role `proxy`."""
    from domain.procurations import audit_who

    acting = audit_who()
    if acting and role == "member":
        who, role = acting, "proxy"
    now = clock.now()
    item = {"pk": f"MEMBER#{member_id}",
            "sk": f"AUDIT#{now.strftime('%Y%m%dT%H%M%S.%f')}#{secrets.token_hex(4)}",
            "type": "audit", "at": now.isoformat(timespec="seconds"), "who": who,
            "role": role, "action": action, "target": target, "detail": detail}
    if origin:
        item["origin"] = origin
    return {"put": item}


def recent(member_id: str, limit: int = 50) -> list[dict]:
    """The latest entries, newest first."""
    return repository.audit_page(member_id, limit)
