"""Call-backs: advisors open slots, a member books one (never twice: conditional write) and may
cancel it; advisors see open and booked slots."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.membership import member_context
from domain.procurations import by, by_label
from shared import clock, idempotency
from shared.dates import PARIS
from shared.errors import Conflict, NotFound, Unprocessable
from shared.hours import OpeningHours, parse
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count
from support import repository
from support.logic import slots as rules
from support.logic.access import require_advisor
from support.logic.opening_hours import default_hours
from support.logic.threads import TEAM
from support.models import (
    AdvisorSlotOut,
    CallbackIn,
    CallbackItem,
    CallbackOut,
    SlotItem,
    SlotOut,
    SlotsIn,
)

STATUS_LABELS = {"booked": "Rappel prévu", "cancelled": "Annulé"}
PAST = "Rappel passé"


def _now() -> datetime:
    return clock.now()


def _slot_out(s: SlotItem) -> SlotOut:
    return SlotOut(id=s.id, starts_at=s.starts_at, ends_at=s.ends_at, minutes=s.minutes)


def _advisor_slot(caller: Caller, s: SlotItem) -> AdvisorSlotOut:
    return AdvisorSlotOut(**_slot_out(s).model_dump(), status=s.status,
                          advisor_name=s.advisor_name, mine=s.advisor_sub == caller.sub,
                          member_name=s.member_name, phone=s.phone, topic=s.topic,
                          by_label=by_label(s.booked_by) if s.status == "booked" else None)


def _callback_out(b: CallbackItem, now: datetime) -> CallbackOut:
    starts = datetime.fromisoformat(b.starts_at)
    upcoming = b.status == "booked" and datetime.fromisoformat(b.ends_at) > now
    label = STATUS_LABELS[b.status] if upcoming or b.status == "cancelled" else PAST
    return CallbackOut(id=b.id, starts_at=b.starts_at, ends_at=b.ends_at, phone=b.phone,
                       topic=b.topic, status=b.status, status_label=label, upcoming=upcoming,
                       can_cancel=rules.can_cancel(starts, b.status, now),
                       by_label=by_label(b.by))


# ----------------------------------------------------------------------------- members
def open_slots(caller: Caller) -> Page[SlotOut]:
    caller.member  # noqa: B018 - members only (an advisor gets 403, as on every member page)
    now = _now()
    found = repository.slots_between(TEAM, rules.id_bound(now + rules.BOOK_LEAD),
                                     rules.id_bound(now + rules.BOOK_HORIZON) + "~")
    free = [s for s in found if rules.bookable(datetime.fromisoformat(s.starts_at), s.status, now)]
    free.sort(key=lambda s: s.starts_at)
    # Several advisors may open the same time: the member chooses a time, not an advisor.
    seen: set[str] = set()
    unique = [s for s in free if not (s.starts_at in seen or seen.add(s.starts_at))]
    return Page[SlotOut](items=[_slot_out(s) for s in unique], next=None)


def book(caller: Caller, data: CallbackIn, key: str | None = None) -> CallbackOut:
    member = caller.member
    now = _now()
    number = rules.phone(data.phone)
    if number is None:
        raise Unprocessable("Ce numéro de téléphone n'est pas un numéro français valide : "
                            "indiquez 10 chiffres, par exemple 06 12 34 56 78.",
                            code="phone", fields={"phone": "numéro invalide"})
    starts = rules.slot_start(data.slot_id)
    slot = repository.slot(TEAM, data.slot_id) if starts else None
    if slot is None:
        raise NotFound("Ce créneau est introuvable : choisissez-en un dans la liste.")
    problem = rules.booking_problem(datetime.fromisoformat(slot.starts_at), slot.status, now)
    if problem and slot.status != "open":
        raise Conflict(problem, code="slot_taken")
    if problem:
        raise Unprocessable(problem, code="slot_not_bookable", fields={"slot_id": problem})
    ctx = member_context(member)
    booking = CallbackItem(id=slot.id, team=slot.team, starts_at=slot.starts_at,
                           ends_at=slot.ends_at, phone=number, topic=data.topic.strip(),
                           status="booked", booked_at=iso_paris(now), by=by())
    try:
        repository.book(slot, booking, member, ctx.member_name, now_epoch=int(now.timestamp()),
                        starts_epoch=int(datetime.fromisoformat(slot.starts_at).timestamp()),
                        extra=[*idempotency.marker(caller.member_pk, "callback", key, slot.id),
                               repository.audit(member, who=ctx.member_name, role="member",
                                                action="callback_booked", target=slot.id)])
    except repository.SlotTaken as taken:
        raise Conflict("Ce créneau vient d'être réservé : choisissez-en un autre.",
                       code="slot_taken") from taken
    except repository.CallbackPending as pending:
        raise Conflict("Vous avez déjà un rappel prévu : annulez-le avant d'en réserver un "
                       "autre.", code="callback_pending") from pending
    except Conflict:
        first = idempotency.created_before(caller.member_pk, "callback", key)
        earlier = repository.callback(member, first) if first else None
        if earlier is None:
            raise
        return _callback_out(earlier, now)
    count("CallbackBooked")
    return _callback_out(booking, now)


def callbacks(caller: Caller, *, cursor: str | None, limit: int) -> Page[CallbackOut]:
    items, nxt = repository.callbacks(caller.member, cursor=cursor, limit=limit)
    now = _now()
    return Page[CallbackOut](items=[_callback_out(b, now) for b in items], next=nxt)


def cancel(caller: Caller, callback_id: str) -> CallbackOut:
    member = caller.member
    now = _now()
    booking = repository.callback(member, callback_id) if rules.slot_start(callback_id) else None
    if booking is None:
        raise NotFound("Ce rappel est introuvable.")
    if booking.status != "booked":
        raise Conflict("Ce rappel est déjà annulé.", code="already_cancelled")
    if not rules.can_cancel(datetime.fromisoformat(booking.starts_at), booking.status, now):
        raise Unprocessable("Ce rappel commence dans moins d'une heure ou est passé : il ne "
                            "peut plus être annulé en ligne.", code="too_late")
    try:
        repository.cancel(booking.team, booking.id, member, repository.audit(
            member, who="adhérent", role="member", action="callback_cancelled",
            target=booking.id))
    except Conflict as changed:
        raise Conflict("Ce rappel a changé entre-temps : rechargez la page.") from changed
    count("CallbackCancelled")
    return _callback_out(booking.model_copy(update={"status": "cancelled"}), now)


# ----------------------------------------------------------------------------- advisors
def advisor_slots(caller: Caller) -> Page[AdvisorSlotOut]:
    require_advisor(caller)
    now = _now()
    today = datetime.combine(now.astimezone(PARIS).date(), datetime.min.time(), PARIS)
    found = repository.slots_between(caller.team or TEAM, rules.id_bound(today),
                                     rules.id_bound(today + timedelta(days=15)) + "~")
    found.sort(key=lambda s: (s.starts_at, s.advisor_name))
    return Page[AdvisorSlotOut](items=[_advisor_slot(caller, s) for s in found], next=None)


def open_new(caller: Caller, data: SlotsIn) -> list[AdvisorSlotOut]:
    require_advisor(caller)
    now = _now()
    team = caller.team or TEAM
    hours = _hours(team)
    planned = rules.plan(data.day, data.start, data.minutes, data.count, now=now, hours=hours)
    day_start = datetime.combine(data.day, datetime.min.time(), PARIS)
    existing = [s for s in repository.slots_between(
        team, rules.id_bound(day_start), rules.id_bound(day_start + timedelta(days=1)))
        if s.advisor_sub == caller.sub]
    if rules.overlaps(planned, [(datetime.fromisoformat(s.starts_at),
                                 datetime.fromisoformat(s.ends_at)) for s in existing]):
        raise Conflict("Ces créneaux chevauchent des créneaux que vous avez déjà ouverts.",
                       code="slot_overlap")
    new = [SlotItem(id=rules.slot_id(begin, caller.sub), team=team, starts_at=iso_paris(begin),
                    ends_at=iso_paris(end), minutes=data.minutes, advisor_sub=caller.sub,
                    advisor_name=caller.name or "Conseiller", status="open")
           for begin, end in planned]
    repository.open_slots(new)
    count("CallbackSlotsOpened", len(new))
    return [_advisor_slot(caller, s) for s in new]


def _hours(team: str) -> OpeningHours:
    stored, _, _ = repository.team_state(team)
    return parse(stored) if stored else default_hours()
