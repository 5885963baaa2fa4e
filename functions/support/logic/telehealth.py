"""Teleconsultation providers: the interface the service books through, and the sandbox.

A provider receives the consultation's id, who it is for (first name and age: what a GP
needs to greet the patient), the reason and the wished time; it answers its own reference,
the time it gives and a join link. The reason is the provider's alone: nothing of it is
stored or logged here. Settings choose the provider (TELECONSULTATION_PROVIDER).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from shared.errors import AppError, ServiceUnavailable
from shared.settings import get_settings


@dataclass(frozen=True)
class ProviderRequest:
    consultation_id: str
    first_name: str
    age: int
    reason: str
    wished_start: datetime | None  # None: as soon as a doctor is free


@dataclass(frozen=True)
class ProviderBooking:
    reference: str
    starts_at: datetime
    join_url: str


class TeleconsultationProvider(Protocol):
    name: str
    label: str  # how the member sees it
    simulation: bool

    def book(self, request: ProviderRequest, now: datetime) -> ProviderBooking: ...

    def cancel(self, reference: str) -> None: ...


class SandboxProvider:
    """A provider that books nothing: a doctor is « free » ten minutes from now, any wished
    quarter hour is accepted, and the join link opens the site's simulated waiting room."""

    name = "sandbox"
    label = "Médecin généraliste en téléconsultation (simulation)"
    simulation = True
    ROOM = "/espace/services/teleconsultation/salle/"

    def book(self, request: ProviderRequest, now: datetime) -> ProviderBooking:
        if request.wished_start is not None:
            starts = request.wished_start
        else:  # the next five minutes mark, ten minutes from now
            soon = now + timedelta(minutes=10)
            starts = soon.replace(second=0, microsecond=0) + timedelta(
                minutes=(5 - soon.minute % 5) % 5)
            if starts < soon:
                starts += timedelta(minutes=5)
        return ProviderBooking(reference=f"SBX-{request.consultation_id}", starts_at=starts,
                               join_url=f"{self.ROOM}?id={request.consultation_id}")

    def cancel(self, reference: str) -> None:
        return None


class ProviderUnknown(AppError):
    status = 500
    code = "provider_unknown"


PROVIDERS: dict[str, type] = {"sandbox": SandboxProvider}


def provider() -> TeleconsultationProvider:
    name = get_settings().teleconsultation_provider
    if name not in PROVIDERS:
        raise ServiceUnavailable("La téléconsultation est momentanément indisponible. "
                                 "Réessayez plus tard ou appelez votre médecin traitant.")
    return PROVIDERS[name]()


def minutes_until(start: datetime, now: datetime) -> int:
    return math.ceil((start - now).total_seconds() / 60)
