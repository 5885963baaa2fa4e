"""The sandbox teleconsultation provider (local stack, demonstration): it books nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.providers.base import ProviderBooking, ProviderRequest


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
