"""Card payment providers: the interface (base.py), the sandbox (local), and the choice of one
by settings. A real provider is one more module here and one more name in PAYMENT_PROVIDER
(docs/payments.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contract.providers.base import PaymentProvider


class PaymentSettings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    provider: Literal["sandbox"] = Field(default="sandbox", alias="PAYMENT_PROVIDER")
    # The provider's keys (Secrets Manager): {"signing_key": ...} for the sandbox.
    secret_arn: str = Field(default="", alias="PAYMENT_SECRET_ARN")
    checkout_url: str = Field(default="", alias="PAYMENT_CHECKOUT_URL")
    session_minutes: int = Field(default=15, alias="PAYMENT_SESSION_MINUTES", ge=5, le=60)
    tolerance_seconds: int = Field(default=300, alias="PAYMENT_NOTIFICATION_TOLERANCE", ge=30,
                                   le=900)


def payment_settings() -> PaymentSettings:
    """Read at each use: a handful of variables, and tests change them between modules."""
    import os

    return PaymentSettings.model_validate({k: v for k, v in os.environ.items() if v != ""})


def get_provider() -> PaymentProvider:
    """The configured provider, with its keys (read from Secrets Manager, kept a few minutes
    by the container)."""
    from contract import repository
    from shared.settings import get_settings

    settings = payment_settings()
    keys = repository.payment_keys(settings.secret_arn)
    if settings.provider == "sandbox":
        from contract.providers.sandbox import SandboxProvider

        return SandboxProvider(key=keys["signing_key"], checkout_url=settings.checkout_url,
                               merchant=get_settings().brand_name,
                               tolerance_seconds=settings.tolerance_seconds)
    raise NotImplementedError(settings.provider)  # pragma: no cover - Literal above
