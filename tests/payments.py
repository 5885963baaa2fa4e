"""Test helpers for card payments: the provider's key, and notifications signed as the
sandbox signs them (contract.providers.signing), for a payment opened through the API."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlsplit

from contract.providers.signing import sign_notification
from shared import clock

REGION = "eu-west-3"
EVENTS = {"succeeded": "checkout.session.succeeded", "failed": "checkout.session.failed",
          "canceled": "checkout.session.canceled"}


def signing_key(client: Any) -> str:
    """The provider key of the stack `client` talks to: the local stack over HTTP (.stack) or
    the in-process API under moto (.api)."""
    import boto3

    stack = getattr(client, "stack", None)
    if stack is not None:
        manager, names = stack.client("secretsmanager"), stack.resources.names
    else:
        holder = getattr(client, "api", client)
        manager = boto3.client("secretsmanager", region_name=REGION)
        names = holder.resources.names
    secret = manager.get_secret_value(SecretId=names["PaymentSecret"])["SecretString"]
    return json.loads(secret)["signing_key"]


def session_of(payment: dict) -> str:
    """The provider's session id, the last part of the checkout address."""
    return urlsplit(payment["checkout_url"]).path.rsplit("/", 1)[1]


def event(payment: dict, outcome: str = "succeeded", *, amount_cents: int | None = None,
          reason: str | None = None, session: str | None = None,
          reference: str | None = None) -> dict:
    data = {"session": session or session_of(payment), "reference": reference or payment["id"],
            "amount_cents": payment["amount_cents"] if amount_cents is None else amount_cents,
            "currency": "EUR"}
    if reason or outcome == "failed":
        data["reason"] = reason or "card_declined"
    return {"id": f"evt_test_{uuid.uuid4().hex[:16]}", "type": EVENTS[outcome],
            "created": clock.epoch(), "data": data}


def signed(key: str, body: dict, *, at: int | None = None) -> dict[str, str]:
    """The signature header of `body` as the clients send it (json.dumps)."""
    return {"Sandbox-Signature": sign_notification(key, clock.epoch() if at is None else at,
                                                   json.dumps(body).encode())}


def late_periods(contributions: dict) -> tuple[list[str], int]:
    late = [i for i in contributions["instalments"] if i["status"] == "late"]
    return [i["id"] for i in late], sum(i["amount_cents"] for i in late)
