"""What the contract function asks of a card payment provider, and nothing more.

A provider hosts the checkout page: the member types her card details on the provider's page,
never on ours (which keeps our pages and our API out of PCI DSS cardholder-data scope). We
ask it for a checkout session (amount, our reference, where to send the member back, where to
notify us), and we verify the server-to-server notification it sends when the payment ends.
The sandbox (local) is one implementation; a real provider is another (docs/payments.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Outcome = Literal["succeeded", "failed", "canceled"]


@dataclass(frozen=True)
class CheckoutRequest:
    amount_cents: int
    currency: str
    reference: str  # our payment id: the notification names it back
    description: str  # what the provider's page shows (« Cotisations de mai 2026 »)
    return_url: str  # where the member's browser goes back to
    notification_url: str  # where the provider posts the signed result
    expires_at: datetime  # the session cannot be paid after this instant


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str  # the provider's page, where the member's browser is sent
    expires_at: datetime


@dataclass(frozen=True)
class Notification:
    """A verified notification: only built once its signature and freshness are checked."""

    event_id: str
    outcome: Outcome
    session_id: str
    reference: str
    amount_cents: int
    currency: str
    reason: str | None = None  # why it failed, in the provider's words (card_declined…)


class InvalidNotification(Exception):  # noqa: N818 - a refusal, named as the API names it
    """Not signed by the provider, too old, or not understood: refuse it, change nothing."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PaymentProvider(Protocol):
    name: str

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        """Open a hosted checkout session (may call the provider: raise on failure)."""
        ...

    def verify_notification(self, headers: Mapping[str, str], body: bytes,
                            now: datetime) -> Notification:
        """Check the notification's signature and age, then read it. Raises
        InvalidNotification."""
        ...
