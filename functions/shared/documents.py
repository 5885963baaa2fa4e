"""A member's documents (« Mes documents »): every file made for her or by her — statements,
attestations, payment receipts, the card, letters and answers from advisors, what she
uploaded — recorded as one kind of item, so one list shows them all.

Stored under MEMBER#<id> / DOC#<created>#<id>; the file itself in the documents bucket under
members/<id>/<kind>/…, handed over by short presigned links.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.ids import created_of, iso_paris, new_id

DocumentKind = Literal["statement", "attestation", "receipt", "card", "letter", "upload"]
KIND_LABELS: dict[str, str] = {
    "statement": "Relevé de prestations", "attestation": "Attestation",
    "receipt": "Reçu de paiement", "card": "Carte mutualiste",
    "letter": "Courrier de la mutuelle", "upload": "Document envoyé"}


class DocumentItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str  # D<created>-<hex>
    kind: DocumentKind
    title: str  # « Reçu de paiement du 26/11/2026 »
    created_at: str
    year: int
    s3_key: str
    content_type: str = "application/pdf"
    size: int | None = None
    beneficiary_id: str | None = None
    source: str | None = None  # what made it: a request's reference, a payment's id…


def new_document(*, member_id: str, kind: str, title: str, s3_key: str,
                 content_type: str = "application/pdf", size: int | None = None,
                 beneficiary_id: str | None = None, source: str | None = None,
                 document_id: str | None = None) -> DocumentItem:
    now = datetime.now(UTC)
    if document_id is None:
        document_id, created = new_id("D", now)
    else:
        created = iso_paris(now)
    return DocumentItem(id=document_id, kind=kind, title=title, created_at=created,
                        year=now.year, s3_key=s3_key, content_type=content_type, size=size,
                        beneficiary_id=beneficiary_id, source=source)


def document_sk(document_id: str) -> str:
    return f"DOC#{created_of(document_id, 'D')}#{document_id}"


def put_operation(member_id: str, document: DocumentItem) -> dict:
    """The transaction operation that files the document (once)."""
    return {"put": {**document.model_dump(mode="json", exclude_none=True),
                    "pk": f"MEMBER#{member_id}", "sk": document_sk(document.id),
                    "type": "document"}}


def file_key(member_id: str, kind: str, document_id: str, ext: str = "pdf") -> str:
    return f"members/{member_id}/{kind}s/{document_id}.{ext}"
