"""Ids that carry their creation time, so a GetItem finds an item from its id alone.

`E20261126T160625-1e61a2b3`: a kind letter, the UTC creation time (compact, so ids and sort
keys order by time), a suffix of the microsecond (5 hex digits) and 3 random hex digits. The
API shows `created_at` as ISO 8601 with the Paris offset, derived from the same instant.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from shared import clock
from shared.dates import PARIS

_TIMED_ID = re.compile(r"^([A-Z])(\d{8}T\d{6})-[0-9a-f]{8}$")
_COMPACT = "%Y%m%dT%H%M%S"


def new_id(kind: str, now: datetime | None = None) -> tuple[str, str]:
    """A new id of `kind` and its creation time as ISO 8601 (Europe/Paris offset). The suffix
    starts with the microsecond, so two ids of the same second still sort by time (a list said
    « newest first » never lets chance order two things made in one second)."""
    now = (now or clock.now()).astimezone(UTC)
    suffix = f"{now.microsecond:05x}{secrets.token_hex(2)[:3]}"
    now = now.replace(microsecond=0)
    return f"{kind}{now.strftime(_COMPACT)}-{suffix}", iso_paris(now)


def iso_paris(moment: datetime) -> str:
    return moment.astimezone(PARIS).isoformat(timespec="seconds")


def created_of(object_id: str, kind: str) -> str | None:
    """The compact UTC creation time an id carries, or None when it is not an id of `kind`."""
    match = _TIMED_ID.match(object_id)
    if not match or match.group(1) != kind:
        return None
    try:
        datetime.strptime(match.group(2), _COMPACT)
    except ValueError:
        return None
    return match.group(2)


def created_at_of(object_id: str) -> datetime | None:
    """The creation instant an id carries (UTC), or None."""
    match = _TIMED_ID.match(object_id)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(2), _COMPACT).replace(tzinfo=UTC)
    except ValueError:
        return None
