"""« Mon contrat »: the contract, the tiers payant card, the guarantees, the contributions, and
the changes a member asks for (beneficiary, bank details, portabilité)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from domain.situation import Regime
from shared.inputs import Integer, IsoDate

UploadIds = list[Annotated[str, Field(max_length=60)]]
Name = Annotated[str, Field(min_length=1, max_length=60)]


# ----------------------------------------------------------------------------- out
class CoverPeriod(BaseModel):
    start: date
    end: date | None


class ContractBeneficiary(BaseModel):
    id: str
    name: str
    rank: str
    relationship: str
    relationship_label: str
    birth_date: date
    regime_label: str
    situations: list[str]  # « ALD : Diabète de type 2 », « Maternité jusqu'au … »
    benefit_account: str | None  # masked IBAN
    noemie: NoemieOut


class NoemieOut(BaseModel):
    """The beneficiary's NOEMIE link (Sécurité sociale → mutuelle), said plainly, with what to
    do while it is not active."""

    status: Literal["active", "inactive", "unknown"]
    label: str  # « Liaison NOEMIE active depuis le … »
    explanation: str
    what_to_do: list[str]  # empty when active


class ContractOut(BaseModel):
    number: str | None
    formula_id: str
    formula_label: str
    formula_description: str
    start_date: date
    end_date: date | None
    collective: bool
    employer: str | None
    responsable: bool
    contribution_account: str | None  # masked IBAN
    contribution_holder: str | None
    portability: CoverPeriod | None
    beneficiaries: list[ContractBeneficiary]
    termination: PendingTermination | None = None  # asked, not yet in effect or refused
    late_instalments: int
    pending_changes: list[str]  # « Changement de coordonnées bancaires (en cours) »


class CardHolder(BaseModel):
    name: str
    rank: str
    birth_date: date
    regime_label: str


class CardOut(BaseModel):
    """The tiers payant card: the harmonised inter-AMC block and the holders."""

    brand_name: str
    amc_number: str
    convention_type: str
    routing: str
    member_number: str
    valid_from: date
    valid_to: date
    responsable: bool
    holders: list[CardHolder]
    tiers_payant_phone: str
    check_url: str  # what the QR code says
    qr_data_url: str  # the QR code as an image (SVG data URL)


class CardCheckOut(BaseModel):
    """What the public check says: validity, for whom (initials and birth years), nothing
    else."""

    valid: bool
    checked_on: date
    valid_from: date
    valid_to: date
    holders: list[str]  # « F. L. (1987) »
    message: str


class FiledRequest(BaseModel):
    """A change filed as a request: its number and where to follow it (never what it holds:
    an account stays masked even here)."""

    id: str
    reference: str
    kind_label: str
    subject: str
    status: str
    status_label: str
    created_at: str


class FileLink(BaseModel):
    url: str
    filename: str
    expires_at: str


class Instalment(BaseModel):
    id: str  # the period, 2026-11
    label: str  # « novembre 2026 »
    due_date: date
    amount_cents: int
    status: Literal["paid", "due", "late"]
    status_label: str
    paid_on: date | None


class ContributionsOut(BaseModel):
    year: int  # the year of the totals: « today »'s year in Paris
    year_total_cents: int
    paid_cents: int
    due_cents: int
    late_cents: int
    instalments: list[Instalment]


class IbanCheckOut(BaseModel):
    valid: bool
    masked: str | None
    bank_name: str | None
    country: str | None
    sepa: bool
    message: str


class EligibilityOut(BaseModel):
    eligible: bool
    until: date | None
    months: int
    reasons: list[str]  # why not, or what to know


# ----------------------------------------------------------------------------- in
class IbanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    iban: str = Field(min_length=1, max_length=50)


class BankDetailsIn(BaseModel):
    """A new account for the contributions (`contribution`) or for a beneficiary's
    reimbursements (`benefit`), confirmed with her password."""

    model_config = ConfigDict(extra="forbid")
    target: Literal["contribution", "benefit"]
    beneficiary_id: str | None = Field(default=None, max_length=40)
    iban: str = Field(min_length=1, max_length=50)
    holder: str = Field(min_length=1, max_length=70)
    password: str = Field(min_length=1, max_length=256)
    upload_ids: UploadIds = Field(min_length=1, max_length=3)


class BeneficiaryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_name: Name
    last_name: Name
    birth_date: IsoDate
    relationship: Literal["spouse", "child", "other"]
    nir: str | None = Field(default=None, max_length=21)
    regime: Regime = "general"
    message: str | None = Field(default=None, max_length=1000)
    upload_ids: UploadIds = Field(min_length=1, max_length=5)


class PortabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    employment_start: IsoDate
    employment_end: IsoDate
    reason: Literal["end_of_fixed_term", "dismissal", "contractual_termination",
                    "resignation_legitimate", "serious_misconduct", "gross_misconduct",
                    "resignation"]
    unemployment_benefit: StrictBool


class PortabilityRequestIn(PortabilityIn):
    message: str | None = Field(default=None, max_length=1000)
    upload_ids: UploadIds = Field(min_length=1, max_length=5)



# ----------------------------------------------------------------------------- payments
PaymentStatus = Literal["pending", "succeeded", "failed", "canceled", "refund_due"]
Period = Annotated[str, Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$",
                              description="Échéance, AAAA-MM (l'`id` d'une échéance)")]


class PaymentItem(BaseModel):
    """A card payment as stored (PAYMENT#<id>): what was asked of the provider, and how it
    ended. Card details are never here: they stay with the provider."""

    model_config = ConfigDict(extra="ignore")
    id: str
    member_id: str
    periods: list[str] = Field(default_factory=list)
    overpayment_id: str | None = None  # a trop-perçu paid back (then no periods)
    amount_cents: int
    currency: str = "EUR"
    status: PaymentStatus
    provider: str
    session_id: str
    checkout_url: str
    expires_at: int  # unix seconds: the provider's session cannot be paid after
    created_at: str
    settled_at: str | None = None
    event_id: str | None = None  # the provider's notification that settled it
    reason: str | None = None  # why it failed, in the provider's words
    receipt_id: str | None = None
    receipt_key: str | None = None


class PaymentIn(BaseModel):
    """The late instalments she chose and the total the page showed her: the total is
    recomputed here, and a total that no longer matches is refused."""

    model_config = ConfigDict(extra="forbid")
    periods: list[Period] = Field(default_factory=list, max_length=24)
    overpayment_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9-]{1,40}$",
        description="Un trop-perçu à rembourser en entier (au lieu d'échéances)")
    amount_cents: Integer = Field(ge=1, le=10_000_000, description="Total affiché, en centimes")

    @model_validator(mode="after")
    def _distinct(self) -> PaymentIn:
        if len(set(self.periods)) != len(self.periods):
            raise ValueError("une même échéance est indiquée deux fois")
        if bool(self.periods) == bool(self.overpayment_id):
            raise ValueError("indiquez soit des échéances, soit un trop-perçu")
        return self


class PaymentPeriod(BaseModel):
    id: str
    label: str  # « mai 2026 »


class PaymentOut(BaseModel):
    id: str
    status: Literal["pending", "succeeded", "failed", "canceled", "expired", "refund_due"]
    status_label: str
    message: str  # what the page tells her, as it is
    amount_cents: int
    periods: list[PaymentPeriod]
    overpayment_id: str | None = None
    created_at: str
    expires_at: str
    checkout_url: str | None  # the provider's page, while the payment can still be made
    receipt: FileLink | None  # her receipt, once paid


class NotificationAck(BaseModel):
    received: bool


# ----------------------------------------------------------------------------- termination
TerminationReason = Literal["infra_annual", "situation_change", "employer_contract", "c2s",
                            "death", "other"]


class TerminationReasonOut(BaseModel):
    """One reason she may give, whether it is open to her today, and when it would take
    effect if she sent it today (the rule and its source said plainly)."""

    code: TerminationReason
    label: str
    available: bool
    why_not: str | None = None
    needs_document: bool
    document_hint: str | None = None
    needs_event_date: bool
    event_label: str | None = None  # « Date du changement de situation »
    event_min: date | None = None  # the window the event date must fall in
    event_max: date | None = None
    effective_on: date | None = None  # sent today, without an event date
    rule: str
    source: str
    confirmed: bool  # False: a reading of the texts the legal team has yet to confirm


class PendingTermination(BaseModel):
    id: str  # the request's id (« Mes demandes »)
    reference: str
    reason: TerminationReason
    reason_label: str
    requested_on: date
    effective_on: date
    status: str
    status_label: str
    document_id: str | None = None


class DispenseCase(BaseModel):
    case: str
    source: str


class TerminationOut(BaseModel):
    collective: bool
    employer: str | None = None
    contract_number: str | None
    start_date: date
    end_date: date | None = None  # the contract already ends (set by the management system)
    today: date
    pending: PendingTermination | None = None
    can_request: bool
    why_not: str | None = None  # collective, pending, already ending
    reasons: list[TerminationReasonOut]
    dispense: list[DispenseCase] = []
    online_rule: str
    online_source: str


class TerminationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: TerminationReason
    event_date: IsoDate | None = None
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)
    message: str | None = Field(default=None, max_length=1000)


class TerminationCreated(BaseModel):
    id: str
    reference: str
    reason: TerminationReason
    requested_on: date
    effective_on: date
    document_id: str
    effects: list[str]


ContractOut.model_rebuild()


# ----------------------------------------------------------------------------- wallet
# The card in the phone's wallets (Apple Wallet, Google Wallet): docs/wallet.md.
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
