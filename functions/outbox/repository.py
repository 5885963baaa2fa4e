"""The outbox functions' AWS calls: EventBridge and SES, through the kernel's clients."""

from __future__ import annotations

import json
from typing import Any

from shared.repository import aws_call, events, send_email
from shared.settings import get_settings

# PutEvents takes at most 10 entries per call.
MAX_ENTRIES = 10


def put_events(entries: list[dict[str, Any]]) -> list[bool]:
    """Put (source, detail type, detail) entries on the bus, in order; answers, per entry,
    whether the bus took it (PutEvents may refuse some entries of a call and take others)."""
    bus = get_settings().event_bus_name
    taken: list[bool] = []
    for start in range(0, len(entries), MAX_ENTRIES):
        chunk = entries[start:start + MAX_ENTRIES]
        with aws_call():
            answer = events().put_events(Entries=[
                {"EventBusName": bus, "Source": e["source"], "DetailType": e["detail_type"],
                 "Detail": json.dumps(e, ensure_ascii=False, separators=(",", ":"))}
                for e in chunk])
        results = answer.get("Entries", [])
        taken += [bool(r.get("EventId")) and not r.get("ErrorCode") for r in results]
        taken += [False] * (len(chunk) - len(results))
        if not all(taken):
            break  # the rest waits for the retry: an event never overtakes an earlier one
    return taken + [False] * (len(entries) - len(taken))


def send(to: str, subject: str, body: str) -> None:
    send_email(to, subject, body)
