"""The rules of call-back slots, pure: how advisors open them, which ones a member may book or
cancel, and the phone number she gives.

- An advisor opens slots of 15, 20 or 30 minutes, within one opening period each (Europe/Paris),
  at least 30 minutes ahead and at most 60 days ahead, never overlapping her own.
- A member books an open slot starting at least 2 hours ahead (time to prepare the call) and at
  most 14 days ahead; one call-back to come at a time; cancelling is possible until 1 hour
  before.
- A slot's id carries its start (UTC) and its advisor, so a double click on « Ouvrir » finds the
  same ids taken (409) rather than opening twice.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta

from shared.dates import PARIS
from shared.errors import Unprocessable
from shared.hours import OpeningHours, fr_time

OPEN_NOTICE = timedelta(minutes=30)
OPEN_HORIZON = timedelta(days=60)
BOOK_LEAD = timedelta(hours=2)
BOOK_HORIZON = timedelta(days=14)
CANCEL_NOTICE = timedelta(hours=1)
_SLOT_ID = re.compile(r"^S(\d{8}T\d{4})-([0-9a-f]{8})$")


def advisor_key(sub: str) -> str:
    return hashlib.sha256(sub.encode()).hexdigest()[:8]


def slot_id(start: datetime, advisor_sub: str) -> str:
    return f"S{start.astimezone(UTC):%Y%m%dT%H%M}-{advisor_key(advisor_sub)}"


def slot_start(value: str) -> datetime | None:
    """The start a slot id carries, or None when it is not a slot id."""
    match = _SLOT_ID.match(value)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def id_bound(moment: datetime) -> str:
    """A slot id bound for range reads: every slot starting at `moment` or later sorts after."""
    return f"S{moment.astimezone(UTC):%Y%m%dT%H%M}"


def plan(day: date, start: str, minutes: int, count: int, *, now: datetime,
         hours: OpeningHours) -> list[tuple[datetime, datetime]]:
    """The slots an advisor asks to open, checked; a French 422 naming the field otherwise."""
    first = datetime.combine(day, time.fromisoformat(start), PARIS)
    if first.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != datetime.combine(
            day, time.fromisoformat(start)):
        raise Unprocessable("Cette heure n'existe pas ce jour-là (changement d'heure) : "
                            "choisissez-en une autre.", code="slot_time",
                            fields={"start": "heure inexistante"})
    if first < now + OPEN_NOTICE:
        raise Unprocessable("Ouvrez des créneaux qui commencent dans 30 minutes au moins.",
                            code="slot_too_soon", fields={"start": "trop tôt"})
    if first > now + OPEN_HORIZON:
        raise Unprocessable("Ouvrez des créneaux dans les 60 prochains jours.",
                            code="slot_too_far", fields={"day": "trop loin"})
    slots = [(first + timedelta(minutes=minutes * i), first + timedelta(minutes=minutes * (i + 1)))
             for i in range(count)]
    for begin, end in slots:
        if not hours.covers(begin, end):
            raise Unprocessable(
                f"Le créneau de {fr_time(begin.astimezone(PARIS).time())} sort des horaires "
                "d'ouverture : réduisez le nombre de créneaux ou changez l'heure.",
                code="slot_closed", fields={"start": "hors des horaires d'ouverture"})
    return slots


def overlaps(new: list[tuple[datetime, datetime]],
             existing: list[tuple[datetime, datetime]]) -> bool:
    return any(a < d and c < b for a, b in new for c, d in existing)


def booking_problem(starts_at: datetime, status: str, now: datetime) -> str | None:
    """Why a member cannot book this slot now, in French; None when she can."""
    if status != "open":
        return "Ce créneau vient d'être réservé : choisissez-en un autre."
    if starts_at < now + BOOK_LEAD:
        return ("Ce créneau est trop proche : choisissez un rappel qui commence dans deux "
                "heures au moins.")
    if starts_at > now + BOOK_HORIZON:
        return "Choisissez un créneau dans les 14 prochains jours."
    return None


def bookable(starts_at: datetime, status: str, now: datetime) -> bool:
    return booking_problem(starts_at, status, now) is None


def can_cancel(starts_at: datetime, status: str, now: datetime) -> bool:
    return status == "booked" and starts_at >= now + CANCEL_NOTICE


_PHONE = re.compile(r"^0[1-9]\d{8}$")


def phone(text: str) -> str | None:
    """A French phone number as « 06 12 34 56 78 », or None when it is not one
    (0X XX XX XX XX, +33 X XX XX XX XX or 0033…, with spaces, dots or dashes)."""
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if digits.startswith("00"):
        return None
    if not _PHONE.match(digits):
        return None
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
