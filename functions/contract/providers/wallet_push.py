"""What the contract function asks of a wallet push provider, the wallet's settings, and the
choice of a provider by settings (docs/wallet.md).

Two pushes exist: Apple's (APNs: an empty notification to a device's push token, on the pass
type's topic, after which the device fetches the latest pass from our web service) and
Google's (the pass object replaced through the Google Wallet API, which updates the saved
passes itself). The sandbox (local and tests) records them; a real provider is one more module
here and one more name in WALLET_PUSH_PROVIDER.
"""

from __future__ import annotations

import os
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


class WalletSettings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    # The pass type certificate + key, WWDR certificate, pass type and team ids, and Google's
    # issuer id + service-account key (Secrets Manager, JSON; empty until the mutuelle puts
    # them there: the wallet is then « not available »).
    secret_arn: str = Field(default="", alias="WALLET_SECRET_ARN")
    push_provider: Literal["sandbox"] = Field(default="sandbox", alias="WALLET_PUSH_PROVIDER")


def wallet_settings() -> WalletSettings:
    return WalletSettings.model_validate({k: v for k, v in os.environ.items() if v != ""})


class WalletPushProvider(Protocol):
    name: str

    def push_apple(self, *, push_token: str, pass_type_id: str, serial: str) -> None:
        """Tell one device its pass changed (raise on failure: the push is retried)."""
        ...

    def update_google(self, *, object_id: str, generic_object: dict) -> None:
        """Replace the saved object's content (raise on failure: retried)."""
        ...


def get_push_provider() -> WalletPushProvider:
    settings = wallet_settings()
    if settings.push_provider == "sandbox":
        from contract.providers.wallet_sandbox import SandboxWalletPush

        return SandboxWalletPush()
    raise NotImplementedError(settings.push_provider)  # pragma: no cover - Literal above
