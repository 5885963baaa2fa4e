"""« Demander un remboursement »: invoices uploaded to S3, checked, then one request.

Steps: an upload ticket (presigned POST, size and type in the policy), the browser sends the
file straight to S3, a confirm call checks what was stored (type by content, size), then the
request names its ready uploads. Processing turns a received request into a reimbursement with
the engine (the advisor screen comes later; until then `python -m infra.local.process`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from claims import repository
from claims.logic.care import care_input, engine_facts, history_for
from claims.logic.reimburse import build_claim
from claims.models import (
    REQUEST_STATUS_LABELS,
    AttachedDocument,
    ClaimItem,
    Practitioner,
    ReimbursementRequestIn,
    ReimbursementRequestItem,
    ReimbursementRequestOut,
    StatusChange,
)
from shared import idempotency, uploads
from shared.dates import today_paris
from shared.errors import Conflict, NotFound, Unprocessable
from shared.http import Page
from shared.iban import mask_iban
from shared.identity import Caller
from shared.ids import iso_paris, new_id
from shared.membership import member_context
from shared.money import format_eur
from shared.observability import count
from shared.uploads import UploadIn, UploadLimits, UploadOut, UploadTicket

# Mutuelle claims are time-barred after two years (Code de la mutualité, art. L221-11).
CLAIM_DEADLINE_DAYS = 2 * 365


def _now() -> datetime:
    return datetime.now(UTC)


def upload_limits() -> UploadLimits:
    return uploads.limits()


def create_upload(caller: Caller, data: UploadIn) -> UploadTicket:
    return uploads.create_ticket(caller.member, data)


def confirm_upload(caller: Caller, upload_id: str) -> UploadOut:
    return uploads.confirm(caller.member, upload_id)


def _out(req: ReimbursementRequestItem) -> ReimbursementRequestOut:
    return ReimbursementRequestOut(
        id=req.id, reference=req.reference, created_at=req.created_at, status=req.status,
        status_label=REQUEST_STATUS_LABELS[req.status], beneficiary_id=req.beneficiary_id,
        beneficiary_name=req.beneficiary_name, act_code=req.act_code, act_label=req.act_label,
        care_date=req.care_date, amount_cents=req.amount_cents, quantity=req.quantity,
        practitioner=req.practitioner, care_pathway=req.care_pathway, comment=req.comment,
        documents=[UploadOut(id=d.id, status=d.status, filename=d.filename, size=d.size,
                             content_type=d.content_type) for d in req.documents],
        history=req.history, claim_id=req.claim_id)


def create_request(caller: Caller, data: ReimbursementRequestIn,
                   key: str | None = None) -> ReimbursementRequestOut:
    ctx = member_context(caller.member)
    ctx.active_contract()
    benef = ctx.beneficiary(data.beneficiary_id)
    today = today_paris()
    if data.care_date > today:
        raise Unprocessable("La date des soins est dans le futur : indiquez la date à laquelle "
                            "les soins ont eu lieu.", code="care_date_future",
                            fields={"care_date": "date dans le futur"})
    if data.care_date < today - timedelta(days=CLAIM_DEADLINE_DAYS):
        raise Unprocessable("Ces soins datent de plus de deux ans : ils ne peuvent plus être "
                            "remboursés (délai de prescription).", code="care_date_too_old",
                            fields={"care_date": "plus de deux ans"})
    from engine import get_act

    act = get_act(data.act_code, data.care_date)
    attached = uploads.ready_uploads(caller.member, data.upload_ids)
    documents = [AttachedDocument(id=u.id, status="attached", filename=u.filename, size=u.size,
                                  content_type=u.content_type) for u in attached]
    request_id, created = new_id("R")
    now = iso_paris(_now())
    req = ReimbursementRequestItem(
        id=request_id, reference=f"DR-{created[:4]}-{request_id[-8:].upper()}",
        created_at=created, status="received", beneficiary_id=benef.id,
        beneficiary_name=benef.name, act_code=act.code,
        act_label=act.label, care_date=data.care_date, amount_cents=data.amount_cents,
        quantity=data.quantity, practitioner=data.practitioner,
        care_pathway=data.care_pathway, ald_related=data.ald_related,
        work_accident=data.work_accident, sight_change=data.sight_change,
        frame_misfit=data.frame_misfit, comment=data.comment,
        documents=documents, history=[StatusChange(status="received", at=now)])
    try:
        repository.create_request(caller.member_pk, req, [
            *uploads.attach_operations(caller.member, attached, req.id),
            *idempotency.marker(caller.member_pk, "reimbursement_request", key, req.id)])
    except Conflict:
        first = idempotency.created_before(caller.member_pk, "reimbursement_request", key)
        earlier = repository.get_request(caller.member_pk, first) if first else None
        if earlier is None:
            raise
        return _out(earlier)
    count("ReimbursementRequestSent")
    return _out(req)


def list_requests(caller: Caller, cursor: str | None,
                  limit: int) -> Page[ReimbursementRequestOut]:
    items, nxt = repository.list_requests(caller.member_pk, cursor, limit)
    return Page[ReimbursementRequestOut](items=[_out(r) for r in items], next=nxt)


def get_request(caller: Caller, request_id: str) -> ReimbursementRequestOut:
    req = repository.get_request(caller.member_pk, request_id)
    if req is None:
        raise NotFound("Cette demande est introuvable.")
    return _out(req)


def process_pending(on: date | None = None) -> list[str]:
    """Turn every received request into a reimbursement; returns the references processed."""
    on = on or today_paris()
    done = []
    for member_pk, req in repository.pending_requests():
        ctx = member_context(member_pk.removeprefix("MEMBER#"))
        benef = ctx.beneficiary(req.beneficiary_id)
        claim: ClaimItem = build_claim(
            claim_id=f"C{req.care_date:%Y%m%d}-{req.id[-8:]}",
            care=care_input(req, req.amount_cents),
            beneficiary=engine_facts(benef), beneficiary_name=req.beneficiary_name,
            formula_id=ctx.active_contract().formula_id,
            history=history_for(member_pk, benef.id, req.care_date),
            practitioner=Practitioner(sector=req.practitioner.sector,
                                      optam=req.practitioner.optam),
            status="paid", payment_date=on,
            bank_account_masked=mask_iban(benef.benefit_iban) if benef.benefit_iban else None,
            request_id=req.id)
        processed = req.model_copy(update={
            "status": "processed", "claim_id": claim.id,
            "history": [*req.history, StatusChange(
                status="processed", at=iso_paris(_now()),
                note=f"Part mutuelle de {format_eur(claim.mutual_cents)} versée")]})
        repository.complete_request(member_pk, processed, claim)
        done.append(req.reference)
    return done
