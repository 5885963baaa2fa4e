"""The interface a teleconsultation provider offers: what the service asks and what it answers.

A provider receives the consultation's id, who it is for (first name and age: what a GP
needs to greet the patient), the reason and the wished time; it answers its own reference,
the time it gives and a join link. The reason is the provider's alone: nothing of it is
stored or logged here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


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
