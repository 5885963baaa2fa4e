"""What the portal tells the management system: one pydantic model per event detail, so every
event the outbox carries has a schema (docs/events/<DetailType>.v<version>.json, generated from
these models and checked against them by tests/unit/test_event_schemas.py).

A detail's version is its class's `SCHEMA_VERSION`, written in the event's envelope
(`schema_version`): a field added stays version 1 when optional; a field removed, renamed or
changed in meaning is a new version, documented beside the old one.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from domain import outbox

Cents = int


class Detail(BaseModel):
    """An event's detail: plain JSON, money in integer cents, dates ISO 8601."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    SCHEMA_VERSION: ClassVar[int] = 1

    @classmethod
    def detail_type(cls) -> str:
        return cls.__name__

    def operation(self, member_id: str) -> dict[str, Any]:
        """The transaction operation writing this event in the member's outbox."""
        return outbox.event(member_id, self.detail_type(),
                            self.model_dump(mode="json", exclude_none=True),
                            schema_version=self.SCHEMA_VERSION)


class Practitioner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sector: int | None = Field(None, description="Secteur de conventionnement (1 ou 2)")
    optam: bool | None = None


class ReimbursementPaymentRequested(Detail):
    """An advisor accepted a reimbursement request: the management system pays it, then sends
    the payment back (an ExplanationOfBenefit naming `request_id`)."""

    request_id: str
    reference: str = Field(description="The number the member knows (DR-2026-…)")
    claim_id: str = Field(description="The reimbursement the portal shows « en cours »")
    beneficiary_id: str
    care_date: date
    act_code: str
    quantity: int = 1
    price_cents: Cents = Field(description="What the member paid")
    mutual_cents_estimated: Cents = Field(description="The portal's computation of the "
                                                      "mutuelle's part, for control")
    practitioner: Practitioner | None = None


class BeneficiaryAdded(Detail):
    request_id: str
    beneficiary_id: str
    first_name: str
    last_name: str
    birth_date: date
    relationship: str
    nir: str | None = None


class BankDetailsReplaced(Detail):
    request_id: str
    target: Literal["contribution", "benefit"]
    beneficiary_id: str | None = Field(None, description="For target benefit")
    iban: str
    holder: str


class PostalAddress(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    line1: str
    line2: str | None = None
    postcode: str
    city: str
    country: str = "France"


class AddressChanged(Detail):
    address: PostalAddress


class EmailChanged(Detail):
    email: str


class PortabilityAccepted(Detail):
    request_id: str
    start: date
    end: date


class ContributionPaymentReceived(Detail):
    payment_id: str
    periods: list[str] = Field(description="The instalments paid (yyyy-mm)")
    amount_cents: Cents
    paid_at: str = Field(description="ISO 8601 time, Europe/Paris offset")


class PaymentDisputed(Detail):
    """The member does not recognise a payment (« Je ne reconnais pas ce paiement »): a
    request to the advisors, and this event for the management system to check it."""

    request_id: str
    claim_id: str = Field(description="The reimbursement whose payment she reports")
    paid_on: date
    amount_cents: Cents = Field(description="What the mutuelle paid")


class ContractTerminationRequested(Detail):
    """The member asked online to terminate her contract (« Résilier mon contrat »): the
    management system ends the cover on `effective_on` and says so with the Coverage's
    `period.end`."""

    request_id: str
    reference: str = Field(description="The number the member knows (RE-2026-…)")
    contract_id: str
    contract_number: str | None = None
    reason: Literal["infra_annual", "situation_change", "employer_contract", "c2s", "death",
                    "other"]
    event_date: date | None = Field(None, description="The date of the event the reason "
                                                      "names (a move, an affiliation, the C2S, "
                                                      "a death)")
    received_at: str = Field(description="When the mutuelle received the request: ISO 8601 "
                                         "time, Europe/Paris offset")
    effective_on: date = Field(description="The contract's last covered day, as computed by "
                                           "the portal's rules (the Coverage's period.end)")
    document_count: int = Field(0, description="Proofs attached to the request")


class OverpaymentRepaid(Detail):
    """She paid back a trop-perçu by card (the whole amount): the management system balances
    its Invoice (then sends it back `balanced`)."""

    overpayment_id: str = Field(description="The Invoice (type overpayment) it repays")
    payment_id: str
    amount_cents: Cents
    paid_at: str = Field(description="ISO 8601 time, Europe/Paris offset")


class OverpaymentInstalmentsRequested(Detail):
    """She asks to pay a trop-perçu back in monthly instalments (a request to the advisors)."""

    request_id: str
    overpayment_id: str
    months: int = Field(ge=2, le=12)
    amount_cents: Cents
    message: str | None = None


class OverpaymentContested(Detail):
    """She contests a trop-perçu (a request to the advisors): no collection until answered."""

    request_id: str
    overpayment_id: str
    amount_cents: Cents
    message: str
    documents: int = Field(0, description="How many documents she attached to the request")


class ProcurationStarted(Detail):
    """A trusted adult accepted to act for the member (procuration), within a scope and until
    a date: the insurer knows who may speak for her."""

    procuration_id: str
    scope: Literal["read", "act"] = Field(description="read: consult; act: consult and send "
                                                      "requests and messages")
    until: date = Field(description="The last day it is valid (Paris)")
    grantee_first_name: str
    grantee_last_name: str
    grantee_email: str
    started_at: str = Field(description="ISO 8601 time, Europe/Paris offset")


class ProcurationEnded(Detail):
    """A procuration ended: revoked by the member, stopped by the trusted person, or come to
    its term."""

    procuration_id: str
    reason: Literal["revoked", "ended_by_grantee", "expired"]
    ended_at: str = Field(description="ISO 8601 time, Europe/Paris offset")


class EmailRequested(Detail):
    """Channel email: the mailer sends it once (never a health detail nor an amount)."""

    to: str
    subject: str
    body: str
    reference: str = ""


GESTION: tuple[type[Detail], ...] = (
    ReimbursementPaymentRequested, BeneficiaryAdded, BankDetailsReplaced, AddressChanged,
    EmailChanged, PortabilityAccepted, ContributionPaymentReceived, PaymentDisputed,
    ProcurationStarted, ProcurationEnded, ContractTerminationRequested,
    OverpaymentRepaid, OverpaymentInstalmentsRequested, OverpaymentContested)
ALL: tuple[type[Detail], ...] = (*GESTION, EmailRequested)


def schema_name(model: type[Detail]) -> str:
    return f"{model.detail_type()}.v{model.SCHEMA_VERSION}.json"


def json_schema(model: type[Detail]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://espace-adherent.example/events/{schema_name(model)}",
            "x-source": outbox.SOURCE, "x-detail-type": model.detail_type(),
            "x-schema-version": model.SCHEMA_VERSION, **schema}
