"""The transactional outbox: what the management system must know, and every email, written as
an item in the same DynamoDB transaction as the change it tells (so a change is never made
without its event, nor an event sent for a change that did not happen).

Items live in the member's own partition, `MEMBER#<id>` / `OUTBOX#<compact UTC time>#<event
id>`, so a day of a million payments spreads over a million partitions (no hot key). The
table's stream carries each new outbox item to the relay function, which puts it on the
EventBridge bus (see docs/integration.md); emails leave the bus for the mailer, which sends
each one once. Items expire after `KEEP_DAYS` (the stream has long delivered them by then).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from shared import clock
from shared.ids import iso_paris

SOURCE = "espace-adherent.portal"
KEEP_DAYS = 35
Channel = Literal["gestion", "email"]


def _item(member_id: str, channel: Channel, detail_type: str, detail: dict[str, Any],
          *, schema_version: int, event_id: str | None) -> dict[str, Any]:
    now = clock.now()
    event_id = event_id or str(uuid.uuid4())
    return {
        "pk": f"MEMBER#{member_id}",
        "sk": f"OUTBOX#{now.strftime('%Y%m%dT%H%M%S.%f')}#{event_id}",
        "type": "outbox", "channel": channel,
        "event": {"id": event_id, "source": SOURCE, "detail_type": detail_type,
                  "schema_version": schema_version, "occurred_at": iso_paris(now),
                  "member_id": member_id, "detail": detail},
        "ttl": clock.epoch() + KEEP_DAYS * 86400,
    }


def event(member_id: str, detail_type: str, detail: dict[str, Any], *,
          schema_version: int = 1, event_id: str | None = None) -> dict[str, Any]:
    """A transaction operation: an event for the management system (`detail_type` such as
    "BankDetailsReplaced"; its schema is documented in docs/integration.md)."""
    return {"put": _item(member_id, "gestion", detail_type, detail,
                         schema_version=schema_version, event_id=event_id)}


def email(member_id: str, to: str, subject: str, body: str, *, reference: str = "",
          event_id: str | None = None) -> dict[str, Any]:
    """A transaction operation: an email to send once (never a health detail nor an amount)."""
    return {"put": _item(member_id, "email", "EmailRequested",
                         {"to": to, "subject": subject, "body": body, "reference": reference},
                         schema_version=1, event_id=event_id)}
