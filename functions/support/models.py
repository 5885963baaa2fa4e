"""The support a member gets: requests (demandes) as members send and follow them and as
advisors process them, uploads, conversations, the wait and call-backs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from domain.attachments import UploadStatus
from domain.reimbursement import MAX_CENTS, CareFacts
from domain.requests import Category, Deadlines, Status
from domain.split import Line, Totals
from shared.inputs import Integer, IsoDate

Text = Annotated[str, Field(min_length=1, max_length=2000)]
# ----------------------------------------------------------------------------- uploads
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
TYPE_NAMES = "PDF, JPEG ou PNG"


class UploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=200)
    # Checked by the logic (a French 422 naming the accepted types); the schema lists them.
    content_type: str = Field(max_length=100, json_schema_extra={"enum": list(ALLOWED_TYPES)})
    size: Integer = Field(gt=0, le=2**31)


class UploadLimits(BaseModel):
    """What the upload field tells the member before she picks a file."""

    max_bytes: int
    max_files: int
    content_types: list[str]
    type_names: str


class UploadTicket(BaseModel):
    id: str
    url: str
    fields: dict[str, str]
    expires_at: str
    max_bytes: int


class UploadOut(BaseModel):
    id: str
    status: UploadStatus
    filename: str
    size: int | None
    content_type: str


UploadIds = list[Annotated[str, Field(max_length=60)]]


# ----------------------------------------------------------------------------- in
class ReimbursementRequestIn(CareFacts):
    """« Demander un remboursement »: the care, what was paid, the invoice."""

    amount_cents: Integer = Field(gt=0, le=MAX_CENTS)
    upload_ids: UploadIds = Field(min_length=1, max_length=5)
    comment: str | None = Field(default=None, max_length=1000)


class DuplicateCheckIn(BaseModel):
    """The care of a reimbursement request about to be sent: was it sent already?"""

    model_config = ConfigDict(extra="forbid")
    beneficiary_id: str = Field(min_length=1, max_length=40)
    act_code: str = Field(min_length=1, max_length=20)
    care_date: IsoDate
    amount_cents: Integer = Field(gt=0, le=MAX_CENTS)


class OtherRequestIn(BaseModel):
    """« Faire une autre demande »: a category, a subject, a message, documents."""

    model_config = ConfigDict(extra="forbid")
    category: Category
    subject: str = Field(min_length=3, max_length=120)
    message: Text
    beneficiary_id: str | None = Field(default=None, max_length=40)
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)


class AnswerIn(BaseModel):
    """The member's answer when information is needed."""

    model_config = ConfigDict(extra="forbid")
    message: Text
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)


class AdvisorLogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    everywhere: StrictBool = False


class ActionIn(BaseModel):
    """An advisor's action, on the version of the request she read (optimistic locking)."""

    model_config = ConfigDict(extra="forbid")
    version: Integer = Field(ge=1)
    message: str | None = Field(default=None, max_length=2000)


# ----------------------------------------------------------------------------- out
class Detail(BaseModel):
    label: str
    value: str


class EventOut(BaseModel):
    at: str
    who: str
    action: str
    status: Status
    status_label: str
    message: str | None
    attachments: list[UploadOut]
    visible_to_member: bool
    by_label: str | None = None  # « par Marc L. pour Fatima L. » (a procuration)


class RequestSummary(BaseModel):
    id: str
    reference: str
    kind: str
    kind_label: str
    category: str | None
    category_label: str | None
    subject: str
    status: Status
    status_label: str
    created_at: str
    updated_at: str
    beneficiary_name: str | None
    unread: bool
    by_label: str | None = None  # « par Marc L. pour Fatima L. » (a procuration)


class RequestOut(RequestSummary):
    message: str | None
    details: list[Detail]
    attachments: list[UploadOut]
    history: list[EventOut]
    deadlines: Deadlines | None
    claim_id: str | None  # the reimbursement accepting it made
    can_answer: bool
    version: int


class KindOut(BaseModel):
    kind: str
    label: str
    documents: str
    min_documents: int
    max_documents: int
    categories: list[Detail]  # value = the category's code, label its French name


# ----------------------------------------------------------------------------- advisors
class QueueItem(BaseModel):
    ref: str  # <member id>_<request id>: how advisors name a request
    reference: str
    kind: str
    kind_label: str
    category_label: str | None
    subject: str
    status: Status
    status_label: str
    created_at: str
    age_days: int
    member_name: str
    assigned_name: str | None
    mine: bool
    deadline: date | None
    by_label: str | None = None  # « par Marc L. pour Fatima L. » (a procuration)


class BeneficiaryContext(BaseModel):
    id: str
    name: str
    relationship_label: str
    age: int
    situations: list[str]


class MemberContext(BaseModel):
    member_id: str
    name: str
    formula_label: str | None
    contract_start: date | None
    beneficiaries: list[BeneficiaryContext]
    recent_requests: list[RequestSummary]


class Split(BaseModel):
    """The engine's split for the care the member described, on her history today."""

    totals: Totals
    lines: list[Line]
    situations: list[str]
    notes: list[str]


class AdvisorRequestOut(RequestOut):
    ref: str
    team: str
    assigned_name: str | None
    mine: bool
    allowed: list[Literal["take", "ask", "accept", "refuse"]]
    accept_effect: str
    member: MemberContext
    split: Split | None
    split_problem: str | None
    # The member's other requests for the same care (person, care, date, amount).
    duplicates: list[RequestSummary] = []


# ============================================================================= contact & aide
# Secure messaging: threads by subject, messages both ways, attachments, unread markers.
ThreadStatus = Literal["waiting", "answered"]
MessageText = Annotated[str, Field(min_length=1, max_length=4000)]


class ThreadIn(BaseModel):
    """A new conversation: a subject, a first message, documents if useful."""

    model_config = ConfigDict(extra="forbid")
    subject: str = Field(min_length=3, max_length=120)
    message: MessageText
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)


class MessageIn(BaseModel):
    """A member's message in one of her conversations."""

    model_config = ConfigDict(extra="forbid")
    message: MessageText
    upload_ids: UploadIds = Field(default_factory=list, max_length=5)


class ReadIn(BaseModel):
    """What the member has read: the conversation's version she was shown."""

    model_config = ConfigDict(extra="forbid")
    version: Integer = Field(ge=1, le=1_000_000)


class AdvisorMessageIn(BaseModel):
    """An advisor's answer, on the version of the conversation she read (a double click or a
    member's message in between gets 409 and writes nothing)."""

    model_config = ConfigDict(extra="forbid")
    version: Integer = Field(ge=1, le=1_000_000)
    message: MessageText


class MessageOut(BaseModel):
    id: str
    at: str
    author_role: Literal["member", "advisor"]
    author_name: str
    text: str
    attachments: list[UploadOut]
    by_label: str | None = None  # « par Marc L. pour Fatima L. » (a procuration)


class ThreadSummary(BaseModel):
    id: str
    subject: str
    status: ThreadStatus
    status_label: str
    created_at: str
    last_message_at: str
    last_author_role: Literal["member", "advisor"]
    message_count: int
    advisor_name: str | None
    unread: bool


class ThreadOut(ThreadSummary):
    version: int
    messages: list[MessageOut]


class AttachmentLink(BaseModel):
    """A short-lived link to download one attachment."""

    url: str
    filename: str
    expires_at: str


class AdvisorThreadSummary(BaseModel):
    ref: str  # <member id>_<thread id>
    subject: str
    status: ThreadStatus
    status_label: str
    member_name: str
    created_at: str
    last_message_at: str
    last_author_role: Literal["member", "advisor"]
    message_count: int
    waiting_minutes: int  # since the first message, while nobody has answered
    advisor_name: str | None
    mine: bool
    unread: bool


class AdvisorThreadOut(AdvisorThreadSummary):
    member_id: str
    version: int
    messages: list[MessageOut]


# ----------------------------------------------------------------------------- the wait
class HoursLine(BaseModel):
    days: str  # « Du lundi au vendredi »
    hours: str  # « 9 h – 18 h »


class WaitOut(BaseModel):
    """What « Contact & aide » says about the wait for an answer."""

    open: bool  # within the opening hours, and at least one advisor on duty now
    minutes: int | None  # the estimate, when open
    label: str  # « ≈ 17 min d'attente estimée » or when the service opens
    detail: str
    opens_at: str | None  # the next opening, when no wait is given
    closed_day: str | None = None  # the public holiday that closes the service today
    hours: list[HoursLine]


class DutyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on_duty: StrictBool  # 0 or "oui" is not a choice: only true or false


class LoadOut(BaseModel):
    """The queue as the model sees it (for advisors)."""

    waiting: int  # conversations waiting for a first answer
    advisors_on_duty: int
    handling_minutes: float  # mean handling time of the last answers
    handling_samples: int
    arrivals_per_hour: float  # new conversations over the last two hours
    occupancy: float | None  # offered load per advisor (Erlang C's ρ)
    wait_probability: float | None  # Erlang C: P(a new conversation waits)
    steady_wait_minutes: float | None  # Erlang C: mean wait at this arrival rate
    estimate_minutes: int | None  # what members are shown now
    advisors_needed: int | None  # for 80 % of conversations taken within 20 min


class DutyOut(BaseModel):
    on_duty: bool
    until: str | None
    load: LoadOut
    hours: list[HoursLine]


# ----------------------------------------------------------------------------- call-backs
CallbackStatus = Literal["booked", "cancelled"]
Phone = Annotated[str, Field(min_length=10, max_length=20,
                             description="Numéro français : 06 12 34 56 78 ou +33 6 12 34 56 78")]


class SlotOut(BaseModel):
    id: str
    starts_at: str
    ends_at: str
    minutes: int


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot_id: str = Field(min_length=1, max_length=60)
    phone: Phone
    topic: str = Field(min_length=3, max_length=300)


class CallbackOut(BaseModel):
    id: str
    starts_at: str
    ends_at: str
    phone: str
    topic: str
    status: CallbackStatus
    status_label: str
    upcoming: bool
    can_cancel: bool
    by_label: str | None = None  # « par Marc L. pour Fatima L. » (a procuration)


class SlotsIn(BaseModel):
    """An advisor opens `count` consecutive slots of `minutes` from `start` on `day`."""

    model_config = ConfigDict(extra="forbid")
    day: IsoDate
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM (heure de Paris)")
    minutes: Literal[15, 20, 30] = 30
    count: Integer = Field(default=1, ge=1, le=16)


class AdvisorSlotOut(SlotOut):
    status: Literal["open", "booked"]
    advisor_name: str
    mine: bool
    member_name: str | None
    phone: str | None
    topic: str | None
    by_label: str | None = None  # booked « par Marc L. pour Fatima L. »


# ----------------------------------------------------------------------------- stored
class ThreadItem(BaseModel):
    """As stored under MEMBER#<id> / THREAD#<thread id>; its messages follow it in the
    partition (THREAD#<thread id>#MSG#<message id>), so one Query reads a conversation."""

    model_config = ConfigDict(extra="ignore")
    id: str
    member_id: str
    member_name: str
    team: str
    subject: str
    status: ThreadStatus
    created_at: str
    updated_at: str
    last_message_at: str
    last_author_role: Literal["member", "advisor"]
    message_count: int
    version: int = 1  # one more with every message
    last_member_version: int = 1
    last_advisor_version: int = 0
    member_seen_version: int = 1
    advisor_seen_version: int = 0
    assigned_to: str | None = None  # the advisor (sub) who answered first handles it
    assigned_name: str | None = None
    opened_at: str | None = None  # first opened by an advisor: handling starts
    first_answer_at: str | None = None

    @property
    def unread_for_member(self) -> bool:
        return self.last_advisor_version > self.member_seen_version

    @property
    def unread_for_advisor(self) -> bool:
        return self.last_member_version > self.advisor_seen_version


class MessageAttachment(BaseModel):
    id: str
    filename: str
    size: int | None
    content_type: str


class MessageItem(BaseModel):
    """As stored under MEMBER#<id> / THREAD#<thread id>#MSG#<message id>."""

    model_config = ConfigDict(extra="ignore")
    id: str
    thread_id: str
    at: str
    author_role: Literal["member", "advisor"]
    author_name: str
    text: str
    attachments: list[MessageAttachment] = []
    # Its place in the conversation (1 for the first message): written under the thread's
    # version condition, so two messages of the same second keep their order.
    seq: int = 0
    by: dict[str, str] | None = None  # {name, for}: written by someone acting for her


class DutyItem(BaseModel):
    """An advisor on or off duty: SUPPORT#<team> / DUTY#<sub>; on duty until `until` at most
    (the end of the opening period), so a forgotten switch does not count a ghost advisor."""

    model_config = ConfigDict(extra="ignore")
    sub: str
    name: str
    on_duty: bool
    since: str
    until: str | None = None


class AnswerItem(BaseModel):
    """One first answer, for the measured handling time: SUPPORT#<team> / ANSWER#<at>#<id>."""

    model_config = ConfigDict(extra="ignore")
    at: str
    thread_id: str
    thread_created_at: str
    handling_seconds: int | None = None
    waited_seconds: int


class SlotItem(BaseModel):
    """A call-back slot an advisor opened: CALLBACK#<team> / SLOT#<slot id>. Booked by a
    conditional write (status open -> booked): never twice."""

    model_config = ConfigDict(extra="ignore")
    id: str
    team: str
    starts_at: str
    ends_at: str
    minutes: int
    advisor_sub: str
    advisor_name: str
    status: Literal["open", "booked"]
    member_id: str | None = None
    member_name: str | None = None
    phone: str | None = None
    topic: str | None = None
    booked_by: dict[str, str] | None = None


class CallbackItem(BaseModel):
    """A member's booking: MEMBER#<id> / CALLBACK#<slot id>."""

    model_config = ConfigDict(extra="ignore")
    id: str  # the slot's id
    team: str
    starts_at: str
    ends_at: str
    phone: str
    topic: str
    status: CallbackStatus
    booked_at: str
    by: dict[str, str] | None = None  # {name, for}: booked by someone acting for her




# ----------------------------------------------------------------------------- sessions, files
class AdvisorSessionOut(BaseModel):
    id: str = Field(description="Identifiant de la session")
    device: str = Field(description="Navigateur et système, en mots : « Chrome sur Windows »")
    device_kind: Literal["phone", "tablet", "computer", "unknown"]
    country: str | None = Field(default=None, description="Pays (ISO 3166-1 alpha-2) ou null")
    started_at: str = Field(description="Début de la session (ISO 8601, heure de Paris)")
    current: bool = Field(description="La session de cet appareil")


# Why an advisor opens a member's file without a request, message or call-back of her team's.
OpeningReason = Literal["member_call", "mail_received", "complaint", "quality_check", "other"]
OPENING_REASONS: dict[str, str] = {
    "member_call": "Appel de l'adhérent",
    "mail_received": "Courrier ou courriel reçu",
    "complaint": "Réclamation",
    "quality_check": "Contrôle qualité",
    "other": "Autre",
}


class FileBeneficiary(BaseModel):
    first_name: str
    relationship_label: str


class FileRequest(BaseModel):
    ref: str = Field(description="Référence conseiller : /conseiller/demande/?ref=…")
    reference: str
    kind_label: str
    subject: str
    status_label: str
    created_at: str
    team: str


class FileThread(BaseModel):
    ref: str = Field(description="Référence conseiller : /conseiller/messages/conversation/?ref=…")
    subject: str
    status_label: str
    last_message_at: str
    team: str


class FileCallback(BaseModel):
    id: str
    starts_at: str
    topic: str


class MemberFileOut(BaseModel):
    """A member's file as an advisor sees it once the opening is justified (and recorded)."""

    member_id: str
    member_number: str
    name: str
    birth_year: int | None
    formula_label: str | None
    contract_start: date | None
    beneficiaries: list[FileBeneficiary]
    recent_requests: list[FileRequest]
    threads: list[FileThread]
    upcoming_callbacks: list[FileCallback]
    opened_for: str = Field(description="Ce que l'adhérente lit dans « Qui a consulté mon "
                                        "dossier » : « Pour votre demande DR-… », « Motif : … »")
