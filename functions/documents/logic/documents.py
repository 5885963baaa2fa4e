"""« Mes documents »: every document made for her or by her, filtered by kind, beneficiary and
year, newest first, and handed over by short presigned links."""

from __future__ import annotations

from datetime import date, timedelta

from documents import repository
from documents.models import Choice, DocumentFilters, DocumentOut, FileLink
from domain.documents import KIND_LABELS, DocumentItem, download_name, extension
from domain.membership import MemberContext, member_context
from shared import clock
from shared.errors import BadRequest, NotFound
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count

LINK_SECONDS = 120
FORMATS = {"pdf": "PDF", "csv": "CSV", "jpg": "JPEG", "png": "PNG"}
NOT_FOUND = "Ce document est introuvable : rechargez la liste de vos documents."


def out(document: DocumentItem, ctx: MemberContext) -> DocumentOut:
    benef = ctx.beneficiaries.get(document.beneficiary_id or "")
    return DocumentOut(
        id=document.id, kind=document.kind, kind_label=KIND_LABELS[document.kind],
        title=document.title, created_at=document.created_at,
        date=date.fromisoformat(document.created_at[:10]), year=document.year,
        beneficiary_id=document.beneficiary_id,
        beneficiary_name=benef.name if benef else None, size=document.size,
        content_type=document.content_type,
        format=FORMATS.get(extension(document.content_type), "Fichier"))


def list_documents(caller: Caller, *, kind: str | None, beneficiary_id: str | None,
                   year: int | None, cursor: str | None, limit: int) -> Page[DocumentOut]:
    ctx = member_context(caller.member)
    if beneficiary_id and beneficiary_id not in ctx.beneficiaries:
        raise BadRequest("Ce bénéficiaire ne figure pas sur votre contrat : choisissez une "
                         "personne de la liste.", code="unknown_beneficiary",
                         fields={"beneficiary": "bénéficiaire inconnu"})
    items, nxt = repository.list_documents(ctx.member_id, kind=kind,
                                           beneficiary_id=beneficiary_id, year=year,
                                           cursor=cursor, limit=limit)
    return Page[DocumentOut](items=[out(d, ctx) for d in items], next=nxt)


def filters(caller: Caller) -> DocumentFilters:
    ctx = member_context(caller.member)
    facets = repository.document_facets(ctx.member_id)
    kinds = {f["kind"] for f in facets if f["kind"] in KIND_LABELS}
    benefs = {f["beneficiary_id"] for f in facets if f["beneficiary_id"]}
    return DocumentFilters(
        years=sorted({int(f["year"]) for f in facets if f["year"]}, reverse=True),
        kinds=[Choice(value=k, label=label) for k, label in KIND_LABELS.items() if k in kinds],
        beneficiaries=[Choice(value=b.id, label=b.name) for b in ctx.beneficiaries.values()
                       if b.id in benefs],
        total=len(facets))


def link(caller: Caller, document_id: str) -> FileLink:
    document = repository.get_document(caller.member, document_id)
    if document is None:
        raise NotFound(NOT_FOUND)
    return file_link(document)


def file_link(document: DocumentItem) -> FileLink:
    filename = download_name(document)
    url = repository.link(document.s3_key, LINK_SECONDS, filename, document.content_type)
    count("DocumentDownloaded")
    return FileLink(url=url, filename=filename, expires_at=iso_paris(
        clock.now() + timedelta(seconds=LINK_SECONDS)))
