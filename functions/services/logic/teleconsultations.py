"""Teleconsultation with a GP, around the clock: for whom, why, now or at a chosen quarter
hour; the member gets a time and a join link, sees her consultations to come and past, and
may cancel one to come.

Health data: the reason goes to the provider and nowhere else (not stored, not logged, not in
the answer); the stored consultation says who, when and where to join.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.membership import member_context
from services import repository
from services.models import TeleconsultationIn, TeleconsultationItem, TeleconsultationOut
from services.providers import provider
from services.providers.base import ProviderRequest
from shared import clock, idempotency
from shared.dates import PARIS
from shared.errors import BadRequest, Conflict, NotFound, Unprocessable
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris, new_id
from shared.observability import count

LEAD = timedelta(minutes=30)  # a chosen time: half an hour ahead at least
HORIZON = timedelta(days=14)
JOINABLE_BEFORE = timedelta(minutes=15)  # the waiting room opens a quarter of an hour early
LASTS = timedelta(minutes=30)  # after its start, a consultation is past
CANCEL_UNTIL = timedelta(minutes=5)  # before its start
NOT_FOUND = "Cette téléconsultation est introuvable."
OPERATION = "teleconsultation"


def _now() -> datetime:
    return clock.now()


def _out(c: TeleconsultationItem, now: datetime) -> TeleconsultationOut:
    starts = datetime.fromisoformat(c.starts_at)
    booked = c.status == "booked"
    upcoming = booked and now < starts + LASTS
    joinable = upcoming and now >= starts - JOINABLE_BEFORE
    label = ("Annulée" if not booked else "À venir" if now < starts - JOINABLE_BEFORE
             else "Salle d'attente ouverte" if upcoming else "Passée")
    p = provider()
    return TeleconsultationOut(
        id=c.id, beneficiary_id=c.beneficiary_id, beneficiary_name=c.beneficiary_name,
        starts_at=c.starts_at, created_at=c.created_at, status=c.status, status_label=label,
        upcoming=upcoming, can_join=joinable, can_cancel=booked and now < starts - CANCEL_UNTIL,
        join_url=c.join_url if upcoming else None, provider_label=p.label,
        simulation=p.simulation)


def _wished_start(data: TeleconsultationIn, now: datetime) -> datetime | None:
    if data.when == "now":
        if data.slot_start:
            raise BadRequest("Un horaire ne se choisit qu'avec « à l'heure choisie ».",
                             code="slot", fields={"slot_start": "champ non attendu"})
        return None
    if not data.slot_start:
        raise BadRequest("Choisissez le jour et l'heure de la téléconsultation.",
                         code="slot", fields={"slot_start": "information obligatoire"})
    try:
        start = datetime.fromisoformat(data.slot_start)
    except ValueError as exc:
        raise BadRequest("L'horaire choisi n'est pas une date et une heure valides.",
                         code="slot", fields={"slot_start": "date et heure attendues"}) from exc
    if start.tzinfo is None:
        start = start.replace(tzinfo=PARIS)
    local = start.astimezone(PARIS)
    if local.minute % 15 or local.second or local.microsecond:
        raise Unprocessable("Les téléconsultations commencent à l'heure, et quart, et demie "
                            "ou moins le quart.", code="slot",
                            fields={"slot_start": "un quart d'heure attendu"})
    if start < now + LEAD:
        raise Unprocessable("Choisissez un horaire dans une demi-heure au moins, ou « dès "
                            "que possible ».", code="slot",
                            fields={"slot_start": "trop tôt"})
    if start > now + HORIZON:
        raise Unprocessable("Les téléconsultations se réservent quatorze jours à l'avance au "
                            "plus.", code="slot", fields={"slot_start": "trop tard"})
    return start


def create(caller: Caller, data: TeleconsultationIn, key: str | None = None
           ) -> TeleconsultationOut:
    member = caller.member
    now = _now()
    wished = _wished_start(data, now)
    context = member_context(member)
    beneficiary = context.beneficiary(data.beneficiary_id)
    consultation_id, created_at = new_id("T", now)
    p = provider()
    booking = p.book(ProviderRequest(consultation_id=consultation_id,
                                     first_name=beneficiary.first_name,
                                     age=beneficiary.age_on(now.astimezone(PARIS).date()),
                                     reason=data.reason.strip(), wished_start=wished), now)
    item = TeleconsultationItem(
        id=consultation_id, member_id=member, beneficiary_id=beneficiary.id,
        beneficiary_name=beneficiary.name, starts_at=iso_paris(booking.starts_at),
        created_at=created_at, provider=p.name, provider_ref=booking.reference,
        join_url=booking.join_url)
    try:
        repository.create_teleconsultation(
            item, idempotency.marker(context.member_pk, OPERATION, key, consultation_id))
    except Exception as failed:
        # Not recorded here: the provider must not keep a consultation nobody will find.
        p.cancel(booking.reference)
        first = idempotency.created_before(context.member_pk, OPERATION, key) \
            if isinstance(failed, Conflict) else None
        earlier = repository.teleconsultation(member, first) if first else None
        if earlier is None:
            raise
        return _out(earlier, now)  # this key created one already: that one
    count("TeleconsultationBooked")
    return _out(item, now)


def consultations(caller: Caller, *, cursor: str | None,
                  limit: int) -> Page[TeleconsultationOut]:
    now = _now()
    items, nxt = repository.teleconsultations(caller.member, cursor=cursor, limit=limit)
    return Page[TeleconsultationOut](items=[_out(c, now) for c in items], next=nxt)


def _own(caller: Caller, consultation_id: str) -> TeleconsultationItem:
    found = repository.teleconsultation(caller.member, consultation_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def consultation(caller: Caller, consultation_id: str) -> TeleconsultationOut:
    return _out(_own(caller, consultation_id), _now())


def cancel(caller: Caller, consultation_id: str) -> TeleconsultationOut:
    found = _own(caller, consultation_id)
    now = _now()
    if found.status == "cancelled":
        raise Conflict("Cette téléconsultation est déjà annulée.", code="already_cancelled")
    if now >= datetime.fromisoformat(found.starts_at) - CANCEL_UNTIL:
        raise Unprocessable("Cette téléconsultation commence dans moins de cinq minutes ou "
                            "est passée : elle ne peut plus être annulée.", code="too_late")
    cancelled = found.model_copy(update={"status": "cancelled", "cancelled_at": iso_paris(now)})
    repository.cancel_teleconsultation(cancelled)
    provider().cancel(found.provider_ref)
    count("TeleconsultationCancelled")
    return _out(cancelled, now)
