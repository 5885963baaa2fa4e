"""Teleconsultation providers: the interface (base.py), the sandbox (sandbox.py), and the
choice of one by settings (TELECONSULTATION_PROVIDER). A real provider is one more module here
and one more name below."""

from __future__ import annotations

from services.providers.base import TeleconsultationProvider
from shared.errors import ServiceUnavailable
from shared.settings import get_settings


def provider() -> TeleconsultationProvider:
    name = get_settings().teleconsultation_provider
    if name == "sandbox":
        from services.providers.sandbox import SandboxProvider

        return SandboxProvider()
    raise ServiceUnavailable("La téléconsultation est momentanément indisponible. "
                             "Réessayez plus tard ou appelez votre médecin traitant.")
