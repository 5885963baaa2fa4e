"""Who is on duty, the opening hours and the estimated wait, from the live queue (the model is
in support.logic.wait, explained in docs/wait-model.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared import clock
from shared.dates import PARIS
from shared.hours import OpeningHours, fr_moment, parse
from shared.identity import Caller
from shared.ids import iso_paris
from support import repository
from support.logic import wait
from support.logic.access import require_advisor
from support.logic.opening_hours import default_hours
from support.logic.threads import TEAM
from support.models import DutyItem, DutyOut, HoursLine, LoadOut, WaitOut

ARRIVALS_WINDOW = timedelta(hours=2)
OFF_HOURS_DUTY = timedelta(hours=2)  # on duty outside the opening hours: for this long


def _now() -> datetime:
    return clock.now()


@dataclass(frozen=True)
class Live:
    hours: OpeningHours
    duty: list[DutyItem]
    on_duty: list[DutyItem]
    estimate: wait.Estimate


def _compact(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


def live(team: str, now: datetime, *, mine: DutyItem | None = None,
         raw: tuple | None = None) -> Live:
    """The queue now: two reads (the waiting conversations; the team's partition). `mine`
    replaces the caller's own duty record (just written); `raw` reuses what was read."""
    stamps, stored_hours, duty, answers = raw or read(team)
    if mine is not None:
        duty = [d for d in duty if d.sub != mine.sub] + [mine]
    hours = parse(stored_hours) if stored_hours else default_hours()
    on_duty = [d for d in duty if d.on_duty and d.until
               and datetime.fromisoformat(d.until) > now]
    since = now - ARRIVALS_WINDOW
    arrivals = sum(1 for s in stamps if _compact(s) >= since) + sum(
        1 for a in answers if datetime.fromisoformat(a.thread_created_at) >= since)
    samples = [a.handling_seconds / 60 for a in answers if a.handling_seconds is not None]
    estimate = wait.estimate(waiting=len(stamps), servers=len(on_duty), samples_minutes=samples,
                             arrivals_per_hour=arrivals / (ARRIVALS_WINDOW.total_seconds() / 3600))
    return Live(hours=hours, duty=duty, on_duty=on_duty, estimate=estimate)


def read(team: str) -> tuple:
    return (repository.waiting_since(team), *repository.team_state(team))


def _hours(hours: OpeningHours) -> list[HoursLine]:
    lines = [HoursLine(days=days, hours=text) for days, text in hours.lines()]
    return lines + [HoursLine(days="Les jours fériés", hours="fermé")] if hours.closed else lines


def wait_for(caller: Caller) -> WaitOut:
    """The wait when the service is open and someone is on duty; otherwise that it is closed
    (nights, Sundays, public holidays), when it opens, and what she can do meanwhile. An
    advisor on duty outside the opening hours answers what she can, but no wait is promised."""
    now = _now()
    state = live(TEAM, now)
    estimate = state.estimate
    hours = _hours(state.hours)
    opening = state.hours.next_opening(now)
    when = fr_moment(opening, now) if opening else None
    opens_at = iso_paris(opening) if opening else None
    if state.hours.is_open(now):
        if estimate.minutes is not None:
            return WaitOut(
                open=True, minutes=estimate.minutes,
                label=f"≈ {wait.rounded(estimate.minutes)} d'attente estimée",
                detail="Délai estimé avant la réponse d'un conseiller, d'après les messages en "
                       "attente et les conseillers disponibles en ce moment. Il peut varier.",
                opens_at=None, hours=hours)
        return WaitOut(
            open=False, minutes=None, label="Aucun conseiller n'est disponible en ce moment",
            detail="Vous pouvez nous écrire ou demander à être rappelé : votre message sera "
                   "traité dès le retour d'un conseiller"
                   + (f", au plus tard à la prochaine ouverture, {when}." if when else "."),
            opens_at=opens_at, hours=hours)
    holiday = state.hours.closed_on(now.astimezone(PARIS).date())
    closed = (f"Le service est fermé aujourd'hui, jour férié ({holiday})." if holiday
              else "Le service est fermé en ce moment.")
    return WaitOut(
        open=False, minutes=None, closed_day=holiday,
        label=f"Nos conseillers vous répondent à partir de {when}" if when
        else "Le service est fermé pour le moment",
        detail=f"{closed} Vous pouvez nous écrire dès maintenant ou choisir un créneau pour être "
               "rappelé : votre message sera traité à l'ouverture.",
        opens_at=opens_at, hours=hours)


def _duty_out(caller: Caller, state: Live, now: datetime, mine: DutyItem | None) -> DutyOut:
    e = state.estimate
    on = bool(mine and mine.on_duty and mine.until and datetime.fromisoformat(mine.until) > now)
    return DutyOut(
        on_duty=on, until=mine.until if on and mine else None,
        load=LoadOut(waiting=e.waiting, advisors_on_duty=e.servers,
                     handling_minutes=e.handling_minutes, handling_samples=e.samples,
                     arrivals_per_hour=e.arrivals_per_hour, occupancy=e.occupancy,
                     wait_probability=e.wait_probability,
                     steady_wait_minutes=e.steady_wait_minutes, estimate_minutes=e.minutes,
                     advisors_needed=e.advisors_needed),
        hours=_hours(state.hours))


def duty(caller: Caller) -> DutyOut:
    require_advisor(caller)
    now = _now()
    state = live(caller.team or TEAM, now)
    mine = next((d for d in state.duty if d.sub == caller.sub), None)
    return _duty_out(caller, state, now, mine)


def set_duty(caller: Caller, on_duty: bool) -> DutyOut:
    require_advisor(caller)
    now = _now()
    team = caller.team or TEAM
    raw = read(team)
    period = live(team, now, raw=raw).hours.period_at(now)
    until = (period[1] if period else now + OFF_HOURS_DUTY) if on_duty else None
    mine = DutyItem(sub=caller.sub, name=caller.name or "Conseiller", on_duty=on_duty,
                    since=iso_paris(now), until=iso_paris(until) if until else None)
    repository.set_duty(team, mine)
    return _duty_out(caller, live(team, now, mine=mine, raw=raw), now, mine)
