"""Opening hours (Europe/Paris), an agency's or the advisors': whether a place is open at an
instant, when it opens next, whether a slot fits in, and how to say them in French.

Pure: the hours are given (`parse` reads a configuration). Every place is closed on the public
holidays of France (`shared/public_holidays.json`, written by `python -m infra.holidays`) and
on the closed days of its configuration.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from shared.dates import MONTHS, PARIS

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
LOOKAHEAD_DAYS = 21


class OpeningHours(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    week: dict[int, tuple[tuple[time, time], ...]]  # 0 = Monday
    closed: dict[date, str] = {}  # public holidays and other closed days, with their names

    @field_validator("week")
    @classmethod
    def _ordered(cls, week: dict[int, tuple[tuple[time, time], ...]]):
        for periods in week.values():
            for start, end in periods:
                if not start < end:
                    raise ValueError("an opening period ends after it starts")
        return week

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.closed:
            return []
        return [(datetime.combine(day, start, PARIS), datetime.combine(day, end, PARIS))
                for start, end in self.week.get(day.weekday(), ())]

    def period_at(self, at: datetime) -> tuple[datetime, datetime] | None:
        """The opening period `at` falls in, or None when closed."""
        local = at.astimezone(PARIS)
        return next(((s, e) for s, e in self.periods_on(local.date()) if s <= local < e), None)

    def is_open(self, at: datetime) -> bool:
        return self.period_at(at) is not None

    def closed_on(self, day: date) -> str | None:
        """The name of the closed day (« Lundi de Pâques »), when the service is closed on it."""
        return self.closed.get(day)

    def next_opening(self, after: datetime) -> datetime | None:
        """The start of the first opening period strictly after `after`."""
        local = after.astimezone(PARIS)
        for offset in range(LOOKAHEAD_DAYS):
            for start, _ in self.periods_on(local.date() + timedelta(days=offset)):
                if start > local:
                    return start
        return None

    def covers(self, start: datetime, end: datetime) -> bool:
        """True when [start, end] lies within one opening period."""
        period = self.period_at(start)
        return period is not None and end <= period[1]

    def lines(self) -> list[tuple[str, str]]:
        """« Du lundi au jeudi » – « 9 h – 18 h », consecutive days with the same hours together."""
        out: list[tuple[str, str]] = []
        groups: list[tuple[list[int], str]] = []
        for day in range(7):
            text = " et ".join(f"{fr_time(s)} – {fr_time(e)}" for s, e in self.week.get(day, ()))
            text = text or "fermé"
            if groups and groups[-1][1] == text:
                groups[-1][0].append(day)
            else:
                groups.append(([day], text))
        for days, text in groups:
            if text == "fermé" and days[-1] == 6 and len(days) == 1:
                label = "Le dimanche"
            elif len(days) == 1:
                label = f"Le {DAYS[days[0]]}"
            elif len(days) == 2:
                label = f"Le {DAYS[days[0]]} et le {DAYS[days[1]]}"
            else:
                label = f"Du {DAYS[days[0]]} au {DAYS[days[-1]]}"
            out.append((label, text))
        return out


def fr_time(value: time) -> str:
    """9 h, 9 h 30, 18 h"""
    return f"{value.hour} h" + (f" {value.minute:02d}" if value.minute else "")


def fr_moment(at: datetime, now: datetime) -> str:
    """« aujourd'hui à 14 h », « demain à 9 h », « lundi 24 novembre à 9 h »."""
    local, today = at.astimezone(PARIS), now.astimezone(PARIS).date()
    if local.date() == today:
        day = "aujourd'hui"
    elif local.date() == today + timedelta(days=1):
        day = "demain"
    else:
        number = "1er" if local.day == 1 else str(local.day)
        day = f"{DAYS[local.weekday()]} {number} {MONTHS[local.month - 1]}"
    return f"{day} à {fr_time(local.time())}"


def parse(data: dict[str, Any]) -> OpeningHours:
    """The hours as configured; the public holidays are always added. A closed day is a date
    (« 2026-12-24 ») or {"date": ..., "label": ...}."""
    week = {int(day): tuple((time.fromisoformat(s), time.fromisoformat(e)) for s, e in periods)
            for day, periods in (data.get("week") or {}).items()}
    closed = dict(public_holidays())
    for entry in data.get("closed") or []:
        day, label = (entry, "fermeture exceptionnelle") if isinstance(entry, str) else (
            entry["date"], entry.get("label") or "fermeture exceptionnelle")
        closed[date.fromisoformat(day)] = label
    return OpeningHours(week=week, closed=closed)


@lru_cache(maxsize=1)
def _holidays_file() -> dict[str, Any]:
    path = Path(__file__).resolve().parent / "public_holidays.json"
    return json.loads(path.read_text(encoding="utf-8"))


def public_holidays(*, alsace_moselle: bool = False) -> dict[date, str]:
    """The public holidays of metropolitan France (Alsace and Moselle also keep Good Friday and
    26 December), with their names."""
    data = _holidays_file()
    days = {**data["days"], **(data["alsace_moselle"] if alsace_moselle else {})}
    return {date.fromisoformat(day): name for day, name in days.items()}


def holidays_known_until() -> date:
    """The last day of the last year the public holidays are written for."""
    return date(int(_holidays_file()["years"][1]), 12, 31)
