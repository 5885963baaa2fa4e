"""Routes of « Mes documents »: the list with its filters, and a short link to each file."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from documents.logic import documents
from documents.models import DocumentFilters, DocumentOut, FileLink
from shared.http import CurrentCaller, Cursor, Limit, Page, PathId, Router

router = Router()
Kind = Literal["statement", "attestation", "receipt", "card", "letter", "upload"]


@router.get("/documents")
def list_documents(
    who: CurrentCaller,
    kind: Annotated[Kind | None, Query(description="Type de document")] = None,
    beneficiary: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,40}$",
                                             description="Bénéficiaire concerné")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Année")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[DocumentOut]:
    return documents.list_documents(who, kind=kind, beneficiary_id=beneficiary, year=year,
                                    cursor=cursor, limit=limit)


@router.get("/documents/filters")
def document_filters(who: CurrentCaller) -> DocumentFilters:
    return documents.filters(who)


@router.get("/documents/<document_id>/link")
def document_link(who: CurrentCaller, document_id: PathId) -> FileLink:
    return documents.link(who, document_id)
