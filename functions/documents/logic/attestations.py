"""« Mes attestations »: the membership attestation made on demand, filed in her documents,
with a verification code that anyone checks on a public page (valid or not, for whom in
initials, issued on, valid until: nothing else); revoked by the member at any time."""

from __future__ import annotations

from datetime import date, datetime

from documents import repository
from documents.logic import codes
from documents.logic.documents import file_link
from documents.logic.documents import out as document_out
from documents.models import (
    AttestationCheckItem,
    AttestationCheckOut,
    AttestationCreated,
    AttestationIn,
    AttestationItem,
    AttestationOut,
)
from domain import audit
from domain.documents import DocumentItem, document_for, store
from domain.membership import Beneficiary, Contract, MemberContext, member_context
from shared import clock, idempotency
from shared.dates import PARIS, fr_date, fr_date_long
from shared.errors import Conflict, NotFound, Unprocessable
from shared.french import de
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris, new_id
from shared.observability import count
from shared.settings import get_settings

CHECK_PATH = "verifier-attestation/"
STATUS_LABELS = {"valid": "Valide", "revoked": "Révoquée", "expired": "Expirée"}
UNKNOWN = ("Aucune attestation ne correspond à ce code. Vérifiez-le (20 caractères, lettres et "
           "chiffres) ou demandez à la personne une attestation récente.")
NOT_FOUND = "Cette attestation est introuvable : rechargez la liste de vos attestations."
OPERATION = "attestation"


def initials(person: Beneficiary) -> str:
    """« F. L. »: what the public check may say of a person."""
    return f"{person.first_name.strip()[:1].upper()}. {person.last_name.strip()[:1].upper()}."


def cover(contract: Contract, on: date) -> tuple[date, date]:
    """The period the attestation certifies: this calendar year of the contract, up to its end
    (or the end of a portabilité that keeps it running)."""
    start = max(contract.start_date, date(on.year, 1, 1))
    end = date(on.year, 12, 31)
    if contract.end_date:
        end = min(end, contract.end_date)
    if contract.portability and contract.portability.start <= on <= contract.portability.end:
        end = min(end, contract.portability.end)
    return start, end


def check_url(code: str) -> str:
    return f"{get_settings().site_url.rstrip('/')}/{CHECK_PATH}?code={codes.printed(code)}"


def _status(valid_until: date, revoked: bool, contract: Contract | None,
            today: date) -> tuple[str, date]:
    """(status, the date it is valid until: shortened when the contract ended since)."""
    until = min(valid_until, contract.end_date) if contract and contract.end_date \
        else valid_until
    if revoked:
        return "revoked", until
    if contract is None or today > until:
        return "expired", until
    return "valid", until


def _contract(ctx: MemberContext, contract_id: str) -> Contract | None:
    return next((c for c in ctx.contracts if c.id == contract_id), None)


def out(attestation: AttestationItem, ctx: MemberContext) -> AttestationOut:
    status, until = _status(attestation.valid_until, attestation.status == "revoked",
                            _contract(ctx, attestation.contract_id), ctx.on)
    return AttestationOut(
        id=attestation.id, code=codes.printed(attestation.code), status=status,
        status_label=STATUS_LABELS[status], issued_at=attestation.created_at,
        valid_from=attestation.valid_from, valid_until=until,
        scope_label=attestation.scope_label, beneficiary_id=attestation.beneficiary_id,
        document_id=attestation.document_id, check_url=check_url(attestation.code),
        revoked_at=attestation.revoked_at, can_revoke=status == "valid")


def prepare(ctx: MemberContext, benef: Beneficiary | None, code: str, now: datetime,
            attestation_id: str | None = None,
            ) -> tuple[AttestationItem, AttestationCheckItem, DocumentItem, bytes]:
    """The attestation of `ctx`'s member (for one beneficiary, or the whole family) issued at
    `now`, its public check, and its PDF filed as a document (pure)."""
    from documents.logic.attestation_pdf import AttestationFacts, Person, render

    settings = get_settings()
    contract = ctx.contract
    if contract is None:
        raise Unprocessable("Aucun contrat n'est en cours aujourd'hui : une attestation "
                            "d'adhésion ne peut pas être établie. Contactez votre mutuelle.",
                            code="no_contract")
    people = [benef] if benef else list(ctx.beneficiaries.values())
    issued_on = now.astimezone(PARIS).date()
    valid_from, valid_until = cover(contract, issued_on)
    if attestation_id is None:
        attestation_id, _ = new_id("A", now)
    created = iso_paris(now)
    scope = benef.name if benef else "Toute la famille"
    title = (f"Attestation d'adhésion {de(benef.name)} du {fr_date(issued_on)}" if benef
             else f"Attestation d'adhésion du {fr_date(issued_on)}")
    body = render(AttestationFacts(
        brand_name=settings.brand_name, brand_address=settings.brand_address,
        member_name=ctx.member_name, member_number=ctx.member_id,
        contract_number=contract.number or contract.id, formula_label=contract.formula_label,
        member_since=contract.start_date,
        employer=contract.employer if contract.collective else None,
        responsable=contract.responsable,
        people=[Person(name=p.name, relationship_label=p.relationship_label,
                       birth_date=p.birth_date) for p in people],
        one_beneficiary=benef is not None, valid_from=valid_from, valid_until=valid_until,
        issued_on=issued_on, code=codes.printed(code), check_url=check_url(code),
        check_page=f"{settings.site_url.rstrip('/')}/{CHECK_PATH}"))
    document = document_for(ctx.member_id, kind="attestation", title=title, size=len(body),
                            beneficiary_id=benef.id if benef else None, source=attestation_id,
                            at=now)
    attestation = AttestationItem(
        id=attestation_id, created_at=created, code=code, document_id=document.id,
        contract_id=contract.id, beneficiary_id=benef.id if benef else None,
        scope_label=scope, initials=[initials(p) for p in people], valid_from=valid_from,
        valid_until=valid_until)
    check = AttestationCheckItem(
        member_id=ctx.member_id, attestation_id=attestation_id, contract_id=contract.id,
        initials=attestation.initials, issued_on=issued_on, valid_until=valid_until)
    return attestation, check, document, body


def create(caller: Caller, data: AttestationIn, key: str | None) -> AttestationCreated:
    ctx = member_context(caller.member)
    benef = ctx.beneficiary(data.beneficiary_id) if data.beneficiary_id else None
    attestation, check, document, body = prepare(ctx, benef, codes.new_code(),
                                                 clock.now())
    attestation_id = attestation.id
    scope = attestation.scope_label
    try:
        store(ctx.member_id, document, body, extra=[
            *repository.attestation_operations(ctx.member_id, attestation, check),
            *idempotency.marker(ctx.member_pk, OPERATION, key, attestation_id),
            audit.entry(ctx.member_id, who=ctx.member_name, role="member",
                        action="attestation_issued", target=attestation_id, detail=scope)])
    except Conflict:
        first = idempotency.created_before(ctx.member_pk, OPERATION, key)
        earlier = repository.get_attestation(ctx.member_id, first) if first else None
        earlier_doc = repository.get_document(ctx.member_id, earlier.document_id) \
            if earlier else None
        if earlier is None or earlier_doc is None:
            raise
        attestation, document = earlier, earlier_doc
    count("AttestationIssued")
    return AttestationCreated(attestation=out(attestation, ctx),
                              document=document_out(document, ctx), link=file_link(document))


def list_attestations(caller: Caller, cursor: str | None, limit: int
                      ) -> Page[AttestationOut]:
    ctx = member_context(caller.member)
    items, nxt = repository.list_attestations(ctx.member_id, cursor, limit)
    return Page[AttestationOut](items=[out(a, ctx) for a in items], next=nxt)


def revoke(caller: Caller, attestation_id: str) -> AttestationOut:
    """Revoke once; revoking again answers the same, and writes nothing."""
    ctx = member_context(caller.member)
    attestation = repository.get_attestation(ctx.member_id, attestation_id)
    if attestation is None:
        raise NotFound(NOT_FOUND)
    if attestation.status == "revoked":
        return out(attestation, ctx)
    revoked_at = iso_paris(clock.now())
    try:
        repository.revoke(ctx.member_id, attestation, revoked_at, audit.entry(
            ctx.member_id, who=ctx.member_name, role="member", action="attestation_revoked",
            target=attestation.id, detail=attestation.scope_label))
    except Conflict:  # revoked at the same moment by another request
        again = repository.get_attestation(ctx.member_id, attestation_id)
        if again is None or again.status != "revoked":
            raise
        return out(again, ctx)
    count("AttestationRevoked")
    return out(attestation.model_copy(update={"status": "revoked", "revoked_at": revoked_at}),
               ctx)


def check(typed: str) -> AttestationCheckOut:
    """The public check: validity, initials and dates, nothing else. A code that is not one,
    or no attestation's, gets the same answer."""
    code = codes.canonical(typed)
    found = repository.check(code) if code else None
    if found is None:
        count("AttestationCheckUnknown")
        raise NotFound(UNKNOWN, code="unknown_attestation")
    today = clock.today()
    try:
        ctx = member_context(found.member_id)
    except NotFound:  # a member file gone: the attestation is no one's any more
        raise NotFound(UNKNOWN, code="unknown_attestation") from None
    status, until = _status(found.valid_until, found.revoked,
                            _contract(ctx, found.contract_id), today)
    message = {
        "valid": f"Attestation valable aujourd'hui, jusqu'au {fr_date_long(until)}.",
        "revoked": "Cette attestation a été révoquée par la personne qui l'a obtenue : elle "
                   "n'est plus valable. Demandez-lui une attestation récente.",
        "expired": f"Cette attestation était valable jusqu'au {fr_date_long(until)} : elle "
                   f"a expiré. Demandez à la personne une attestation récente.",
    }[status]
    count("AttestationChecked")
    return AttestationCheckOut(code=codes.printed(code), valid=status == "valid",
                               status=status, status_label=STATUS_LABELS[status],
                               message=message, holders=found.initials,
                               issued_on=found.issued_on, valid_until=until, checked_on=today)
