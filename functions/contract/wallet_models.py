"""Input and output models of the card in the phone's wallets (Apple Wallet, Google Wallet)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WalletAvailability(BaseModel):
    available: bool
    # Why not, in French, when it is not (the page shows it instead of the button).
    message: str | None = None


class WalletOut(BaseModel):
    apple: WalletAvailability
    google: WalletAvailability


class WalletPassIn(BaseModel):
    """Nothing to choose: the pass is her card as it is today."""

    model_config = ConfigDict(extra="forbid")


class GoogleSaveOut(BaseModel):
    save_url: str  # https://pay.google.com/gp/v/save/<jwt>
    serial: str


class AppleRegistrationIn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # Apple may add fields
    pushToken: str = Field(min_length=1, max_length=200)  # noqa: N815 - Apple's name


class AppleSerialsOut(BaseModel):
    serialNumbers: list[str]  # noqa: N815 - Apple's names
    lastUpdated: str  # noqa: N815


class AppleLogIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    logs: list[str] = Field(default_factory=list, max_length=100)
