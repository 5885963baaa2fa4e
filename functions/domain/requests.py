"""One request machinery for every kind of request a member sends (demandes): the stored
request, its states and the transitions allowed between them, its history, and the kinds.

A kind declares what the member fills in, the documents asked for, the team that processes
it, and whether accepting it has an effect (a reimbursement computed and stored, a
beneficiary added...). The effect itself is written by the function that processes the kind,
in the same DynamoDB transaction as the status change.

States: sent → in_progress (an advisor takes it) → processed | refused, and info_needed, which
waits for the member's answer and then goes back to the advisors. An accepted reimbursement
request is first payment_requested (« Transmise pour paiement »: the management system pays
it), and processed once its payment comes back through the insurer's side (action "pay").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared import clock
from shared.dates import PARIS
from shared.errors import Conflict

Status = Literal["sent", "in_progress", "info_needed", "payment_requested", "processed",
                 "refused"]
STATUS_LABELS: dict[str, str] = {
    "sent": "Envoyée", "in_progress": "En cours de traitement",
    "info_needed": "Informations demandées", "payment_requested": "Transmise pour paiement",
    "processed": "Acceptée", "refused": "Refusée"}
OPEN: tuple[str, ...] = ("sent", "in_progress", "info_needed", "payment_requested")
CLOSED: tuple[str, ...] = ("processed", "refused")

Action = Literal["send", "take", "ask", "answer", "accept", "refuse", "note", "pay"]
Role = Literal["member", "advisor", "system"]

# (action, from status) -> to status. Anything else is refused (409) and changes nothing.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("take", "sent"): "in_progress",
    ("ask", "sent"): "info_needed",
    ("ask", "in_progress"): "info_needed",
    ("answer", "info_needed"): "in_progress",
    ("accept", "in_progress"): "processed",
    ("refuse", "in_progress"): "refused",
    # The management system paid an accepted reimbursement request (an inbound payment).
    ("pay", "payment_requested"): "processed",
}
# Who may act: the member answers, advisors do the rest.
ACTORS: dict[str, Role] = {"take": "advisor", "ask": "advisor", "answer": "member",
                           "accept": "advisor", "refuse": "advisor", "pay": "system"}

Kind = Literal["reimbursement", "other", "beneficiary_add", "bank_details", "portability",
               "payment_dispute", "termination", "overpayment_instalments",
               "overpayment_contest"]
Category = Literal["reimbursement_question", "situation_change", "complaint", "other"]
CATEGORY_LABELS: dict[str, str] = {
    "reimbursement_question": "Question sur un remboursement",
    "situation_change": "Changement de situation",
    "complaint": "Réclamation",
    "other": "Autre demande",
}


class KindSpec(BaseModel):
    """What a kind of request is, for the member's form and the advisors."""

    model_config = ConfigDict(frozen=True)
    kind: str
    label: str
    team: str
    prefix: str  # of the acknowledgement number: DR-2026-…
    documents: str  # what to attach, said to the member
    min_documents: int
    max_documents: int = 5
    categories: tuple[str, ...] = ()
    accept_effect: str  # what accepting it does, said to the advisor
    accepted: Status = "processed"  # where accepting it leads


KINDS: dict[str, KindSpec] = {
    "reimbursement": KindSpec(
        kind="reimbursement", label="Demande de remboursement", team="gestion", prefix="DR",
        documents="La facture, la feuille de soins ou la prescription (PDF, JPEG ou PNG).",
        min_documents=1,
        accept_effect="Le remboursement est calculé selon la formule et transmis pour paiement "
                      "à la gestion, qui le verse au bénéficiaire : la demande sera close "
                      "quand le paiement sera fait.",
        accepted="payment_requested"),
    "other": KindSpec(
        kind="other", label="Autre demande", team="gestion", prefix="DA",
        documents="Tout document utile à votre demande (facultatif).", min_documents=0,
        categories=tuple(CATEGORY_LABELS),
        accept_effect="La demande est close ; votre réponse est envoyée à l'adhérent."),
    "beneficiary_add": KindSpec(
        kind="beneficiary_add", label="Ajout d'un bénéficiaire", team="gestion", prefix="AB",
        documents="L'attestation de droits à l'Assurance maladie du bénéficiaire et, pour un "
                  "enfant, son acte de naissance ou le livret de famille.",
        min_documents=1,
        accept_effect="Le bénéficiaire est ajouté au contrat : il figure sur la carte "
                      "mutualiste et peut être remboursé dès aujourd'hui."),
    "bank_details": KindSpec(
        kind="bank_details", label="Changement de coordonnées bancaires", team="gestion",
        prefix="RB", documents="Le relevé d'identité bancaire (RIB) du nouveau compte, au nom "
                               "indiqué.", min_documents=1,
        accept_effect="Les nouvelles coordonnées bancaires remplacent les anciennes pour les "
                      "prochains versements ou prélèvements."),
    "portability": KindSpec(
        kind="portability", label="Déclaration de portabilité", team="gestion", prefix="PO",
        documents="L'attestation de fin de contrat de travail et l'attestation d'ouverture de "
                  "droits à l'allocation chômage (France Travail).", min_documents=1,
        accept_effect="La portabilité est enregistrée : la couverture continue, sans "
                      "cotisation, jusqu'à la date indiquée."),
    # Filed from the payment itself (« Je ne reconnais pas ce paiement »), one per payment;
    # the management system hears of it at once (event PaymentDisputed).
    "payment_dispute": KindSpec(
        kind="payment_dispute", label="Paiement non reconnu", team="gestion", prefix="PN",
        documents="Tout document utile, par exemple un relevé bancaire (facultatif).",
        min_documents=0, categories=("reimbursement_question",),
        accept_effect="La demande est close ; votre réponse sur ce paiement est envoyée à "
                      "l'adhérent."),
    # Filed from « Résilier mon contrat » (contract.logic.termination), one pending per
    # contract; the management system hears of it at once (event ContractTerminationRequested)
    # and ends the cover itself (the Coverage's period.end).
    "termination": KindSpec(
        kind="termination", label="Demande de résiliation", team="gestion", prefix="RE",
        documents="Le justificatif du motif, quand le motif en demande un.", min_documents=0,
        accept_effect="La demande est close ; la gestion met fin au contrat à la date "
                      "d'effet indiquée, et l'adhérent garde l'accès à ses documents."),
    # Filed from a trop-perçu's page (« Mes remboursements »); the management system hears
    # of each at once (events OverpaymentInstalmentsRequested, OverpaymentContested).
    "overpayment_instalments": KindSpec(
        kind="overpayment_instalments", label="Échéancier pour un trop-perçu", team="gestion",
        prefix="TE", documents="Aucun document n'est nécessaire.", min_documents=0,
        max_documents=0,
        accept_effect="La demande est close ; votre réponse sur l'échéancier est envoyée à "
                      "l'adhérent (la gestion met en place les mensualités)."),
    "overpayment_contest": KindSpec(
        kind="overpayment_contest", label="Contestation d'un trop-perçu", team="gestion",
        prefix="TC", documents="Tout document utile, par exemple un décompte de la Sécurité "
                               "sociale (facultatif).", min_documents=0,
        categories=("reimbursement_question",),
        accept_effect="La demande est close ; votre réponse sur ce trop-perçu est envoyée à "
                      "l'adhérent (la gestion l'annule ou le confirme)."),
}

# Complaints (réclamations): acknowledged within 10 working days, answered within 2 months,
# then the mediator (ACPR recommendation 2016-R-02).
ACK_WORKING_DAYS = 10
ANSWER_MONTHS = 2


class Attachment(BaseModel):
    id: str
    filename: str
    size: int | None
    content_type: str


class Event(BaseModel):
    """One step of a request's history: who, when, what was said, and whether the member
    sees it (an advisor's internal note does not reach her)."""

    at: str
    by_role: Role
    by_name: str
    action: Action
    status: Status
    message: str | None = None
    attachments: list[Attachment] = []
    visible_to_member: bool = True
    by: dict[str, str] | None = None  # {name, for}: someone acting for the member


class Deadlines(BaseModel):
    acknowledge_by: date
    answer_by: date


class RequestItem(BaseModel):
    """As stored under MEMBER#<id> / REQ#<created>#<id>; in the advisors' queue (GSI
    AdvisorQueue) while open."""

    model_config = ConfigDict(extra="ignore")
    id: str
    reference: str
    kind: str
    member_id: str
    created_at: str
    updated_at: str
    status: Status
    version: int = 1
    team: str
    category: str | None = None
    subject: str
    beneficiary_id: str | None = None
    beneficiary_name: str | None = None
    message: str | None = None
    attachments: list[Attachment] = []
    payload: dict[str, Any] = {}  # what the kind needs (the care, the amount...)
    history: list[Event] = []
    assigned_to: str | None = None  # the advisor's sub
    assigned_name: str | None = None
    outcome: dict[str, Any] = {}  # what accepting it did (the reimbursement's id...)
    deadlines: Deadlines | None = None
    member_seen_version: int = 1  # the member has read everything up to this version
    by: dict[str, str] | None = None  # {name, for}: sent by someone acting for the member

    @property
    def unread_for_member(self) -> bool:
        return self.member_seen_version < self.version


def next_status(action: str, status: str, kind: str | None = None) -> str:
    """The status after `action`, or a 409 saying why it cannot be done now. Accepting leads
    where the kind says (a reimbursement is first sent for payment)."""
    target = TRANSITIONS.get((action, status))
    if target is not None and action == "accept" and kind in KINDS:
        target = KINDS[kind].accepted
    if target is None:
        raise Conflict(f"Cette action n'est pas possible : la demande est « "
                       f"{STATUS_LABELS.get(status, status).lower()} ». Rechargez la page.",
                       code="illegal_transition")
    return target


def working_days_after(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`."""
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def complaint_deadlines(created: datetime) -> Deadlines:
    from shared.dates import add_months

    day = created.astimezone(PARIS).date()
    return Deadlines(acknowledge_by=working_days_after(day, ACK_WORKING_DAYS),
                     answer_by=add_months(day, ANSWER_MONTHS))


def sort_key(request: RequestItem) -> str:
    from shared.ids import created_of

    return f"REQ#{created_of(request.id, 'R')}#{request.id}"


def queue_key(team: str, status: str) -> str:
    return f"QUEUE#{team}#{status}" if status in OPEN else f"CLOSED#{team}"


def to_item(request: RequestItem) -> dict[str, Any]:
    """The stored item, with its place in the advisors' queue."""
    from shared.ids import created_of

    item = request.model_dump(mode="json")
    item.update(pk=f"MEMBER#{request.member_id}", sk=sort_key(request), type="request",
                gsi2pk=queue_key(request.team, request.status),
                gsi2sk=f"{created_of(request.id, 'R')}#{request.member_id}#{request.id}")
    return item


class Reference(BaseModel):
    """How advisors name a request: the member and the request, in one path segment."""

    member_id: str = Field(pattern=r"^[0-9A-Za-z]{1,20}$")
    request_id: str

    @classmethod
    def parse(cls, value: str) -> Reference | None:
        member_id, _, request_id = value.partition("_")
        if not member_id or not request_id:
            return None
        try:
            return cls(member_id=member_id, request_id=request_id)
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.member_id}_{self.request_id}"


# ----------------------------------------------------------------------------- filing
def get(member_id: str, request_id: str) -> RequestItem | None:
    from domain import repository
    from shared.ids import created_of

    created = created_of(request_id, "R")
    if not created:
        return None
    item = repository.member_item(member_id, f"REQ#{created}#{request_id}")
    return RequestItem.model_validate(item) if item else None


def submit(ctx: Any, *, kind: str, subject: str, message: str | None,
           upload_ids: list[str], key: str | None, beneficiary_id: str | None = None,
           category: str | None = None, payload: dict[str, Any] | None = None,
           extra: list[dict] | None = None, origin: dict | None = None,
           also: Any = None) -> RequestItem:
    """File a new request of `kind` for the member of `ctx` (a MemberContext): checks the
    documents the kind asks for, attaches the uploads, writes it with its idempotency marker
    and the audit entry and its acknowledgement email (outbox) in one transaction. A retry
    with the same key answers the first request. `extra` operations, and those `also(request)`
    makes of the new request, are written in the same transaction."""

    from domain import attachments as uploads
    from domain import audit, repository
    from domain.notifications import status_email
    from domain.procurations import by
    from shared import idempotency
    from shared.errors import Unprocessable
    from shared.ids import iso_paris, new_id
    from shared.observability import count

    spec = KINDS[kind]
    benef = ctx.beneficiary(beneficiary_id) if beneficiary_id else None
    if len(upload_ids) < spec.min_documents:
        raise Unprocessable(f"Joignez au moins un justificatif : {spec.documents}",
                            code="documents_missing", fields={"upload_ids": "justificatif"})
    ready = uploads.ready_uploads(ctx.member_id, upload_ids)
    attachments = [Attachment(id=u.id, filename=u.filename, size=u.size,
                              content_type=u.content_type) for u in ready]
    request_id, created = new_id("R")
    now_moment = clock.now()
    now = iso_paris(now_moment)
    request = RequestItem(
        id=request_id, reference=f"{spec.prefix}-{created[:4]}-{request_id[-8:].upper()}",
        kind=kind, member_id=ctx.member_id, created_at=created, updated_at=now,
        status="sent", team=spec.team, category=category, subject=subject,
        beneficiary_id=benef.id if benef else None,
        beneficiary_name=benef.name if benef else None, message=message,
        attachments=attachments, payload=payload or {}, by=by(),
        history=[Event(at=now, by_role="member", by_name=ctx.member_name, action="send",
                       status="sent", message=message, attachments=attachments, by=by())],
        deadlines=complaint_deadlines(now_moment) if category == "complaint" else None)
    operation = f"request_{kind}"
    try:
        repository.write([{"put": to_item(request)},
                  *uploads.attach_operations(ctx.member_id, ready, request_id),
                  *idempotency.marker(ctx.member_pk, operation, key, request_id),
                  audit.entry(ctx.member_id, who=ctx.member_name, role="member",
                              action="request_sent", target=request.reference,
                              origin=origin),
                  status_email(ctx.member_id, ctx.profile.email, request),
                  *(extra or []), *(also(request) if also else [])])
    except Conflict:
        first = idempotency.created_before(ctx.member_pk, operation, key)
        earlier = get(ctx.member_id, first) if first else None
        if earlier is None:
            raise
        return earlier
    count("RequestSent")
    return request
