"""The sandbox provider: a hosted checkout that behaves like a real one, served by the local
stack (infra/local/sandbox.py), with test cards and no real money.

Opening a session needs no call: like the signed payment forms of many French acquirers, the
session's terms (amount, reference, return and notification addresses, expiry) travel in the
checkout address, signed with the shared key, and the sandbox refuses any address whose
signature does not match. The sandbox posts its result to the notification address, signed
(see signing.py).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contract.providers import signing
from contract.providers.base import (
    Checkout,
    CheckoutRequest,
    InvalidNotification,
    Notification,
)

SIGNATURE_HEADER = "sandbox-signature"
EVENTS = {"checkout.session.succeeded": "succeeded", "checkout.session.failed": "failed",
          "checkout.session.canceled": "canceled"}


class SessionTerms(BaseModel):
    """What a checkout address carries (signed): the sandbox shows and enforces it."""

    model_config = ConfigDict(extra="forbid")
    id: str
    amount_cents: int
    currency: str
    reference: str
    description: str
    merchant: str
    return_url: str
    notification_url: str
    expires: int  # unix seconds


class EventData(BaseModel):
    model_config = ConfigDict(extra="ignore")
    session: str = Field(min_length=1, max_length=80)
    reference: str = Field(min_length=1, max_length=80)
    amount_cents: int = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)
    reason: str | None = Field(default=None, max_length=80)


class Event(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1, max_length=80)
    type: Literal["checkout.session.succeeded", "checkout.session.failed",
                  "checkout.session.canceled"]
    created: int
    data: EventData


def encode_terms(terms: SessionTerms) -> str:
    raw = json.dumps(terms.model_dump(), separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_terms(payload: str) -> SessionTerms:
    """The terms of a checkout address (the signature is checked by the caller)."""
    padded = payload + "=" * (-len(payload) % 4)
    return SessionTerms.model_validate_json(base64.urlsafe_b64decode(padded.encode()))


class SandboxProvider:
    name = "sandbox"

    def __init__(self, *, key: str, checkout_url: str, merchant: str,
                 tolerance_seconds: int = 300) -> None:
        self.key = key
        self.checkout_url = checkout_url.rstrip("/")
        self.merchant = merchant
        self.tolerance = tolerance_seconds

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        terms = SessionTerms(
            id=f"cs_test_{secrets.token_hex(12)}", amount_cents=request.amount_cents,
            currency=request.currency, reference=request.reference,
            description=request.description, merchant=self.merchant,
            return_url=request.return_url, notification_url=request.notification_url,
            expires=int(request.expires_at.timestamp()))
        payload = encode_terms(terms)
        query = urlencode({"d": payload, "s": signing.sign_checkout(self.key, payload)})
        return Checkout(session_id=terms.id, url=f"{self.checkout_url}/{terms.id}?{query}",
                        expires_at=request.expires_at)

    def verify_notification(self, headers: Mapping[str, str], body: bytes,
                            now: datetime) -> Notification:
        header = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER), None)
        try:
            signing.verify_notification(self.key, header, body, int(now.timestamp()),
                                        self.tolerance)
        except signing.BadSignature as refused:
            if refused.code == "stale":
                raise InvalidNotification(
                    "stale_notification", "Notification trop ancienne : refusée.") from None
            raise InvalidNotification("invalid_signature",
                                      "Signature de la notification invalide.") from None
        try:
            event = Event.model_validate_json(body)
        except ValidationError:
            raise InvalidNotification("invalid_notification",
                                      "Notification illisible.") from None
        data = event.data
        return Notification(event_id=event.id, outcome=EVENTS[event.type],  # type: ignore[arg-type]
                            session_id=data.session, reference=data.reference,
                            amount_cents=data.amount_cents, currency=data.currency.upper(),
                            reason=data.reason)
