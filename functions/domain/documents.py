"""A member's documents (« Mes documents »): every file made for her or by her — statements,
attestations, payment receipts, the card, letters and answers from advisors, what she
uploaded — recorded as one kind of item, so one list shows them all.

Stored under MEMBER#<id> / DOC#<created>#<id>; the file itself in the documents bucket under
members/<id>/<kind>/…, handed over by short presigned links.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared import clock
from shared.dates import PARIS
from shared.errors import Conflict
from shared.ids import created_at_of, created_of, iso_paris, new_id

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
    if document_id is None:
        document_id, _ = new_id("D")
    # Dated by its id (which orders her documents), in Paris: the year of a document made at
    # 00:10 on 1 January is the new one.
    moment = created_at_of(document_id) or clock.now()
    return DocumentItem(id=document_id, kind=kind, title=title, created_at=iso_paris(moment),
                        year=moment.astimezone(PARIS).year, s3_key=s3_key,
                        content_type=content_type, size=size, beneficiary_id=beneficiary_id,
                        source=source)


def document_sk(document_id: str) -> str:
    return f"DOC#{created_of(document_id, 'D')}#{document_id}"


def put_operation(member_id: str, document: DocumentItem) -> dict:
    """The transaction operation that files the document (once)."""
    return {"put": {**document.model_dump(mode="json", exclude_none=True),
                    "pk": f"MEMBER#{member_id}", "sk": document_sk(document.id),
                    "type": "document"}}


def file_key(member_id: str, kind: str, document_id: str, ext: str = "pdf") -> str:
    return f"members/{member_id}/{kind}s/{document_id}.{ext}"


EXTENSIONS = {"application/pdf": "pdf", "text/csv": "csv", "image/jpeg": "jpg",
              "image/png": "png"}


def extension(content_type: str) -> str:
    return EXTENSIONS.get(content_type.split(";")[0].strip(), "bin")


def document_for(member_id: str, *, kind: str, title: str, content_type: str = "application/pdf",
                 size: int | None = None, beneficiary_id: str | None = None,
                 source: str | None = None, at: datetime | None = None,
                 identity: str | None = None) -> DocumentItem:
    """A new document and where its file goes. With an `identity` (what the document is, e.g.
    « the statement of January, every beneficiary, PDF ») and its time `at`, the id is stable:
    making the same document again files nothing new (see `store`)."""
    instant = (at or clock.now()).astimezone(UTC)
    moment = instant.replace(microsecond=0)
    if identity:
        digest = hashlib.sha256(f"{member_id}|{identity}".encode()).hexdigest()[:8]
        document_id = f"D{moment:%Y%m%dT%H%M%S}-{digest}"
    else:
        # The microsecond leads the id's suffix: without it, documents of one second would
        # share 3 random hex digits and two of them would soon claim the same id.
        document_id, _ = new_id("D", instant)
    return DocumentItem(id=document_id, kind=kind, title=title, created_at=iso_paris(moment),
                        year=moment.astimezone(PARIS).year,
                        s3_key=file_key(member_id, kind, document_id, extension(content_type)),
                        content_type=content_type, size=size, beneficiary_id=beneficiary_id,
                        source=source)


def store(member_id: str, document: DocumentItem, data: bytes, *, stable: bool = False,
          extra: list[dict] | None = None,
          write: Callable[[list[dict]], None] | None = None) -> bool:
    """Put the file, then file the document in one transaction with `extra` operations (or
    hand its operation to `write`, which makes the transaction it belongs to).

    A `stable` document (made by `document_for` with an identity) may have been filed before:
    then its file is refreshed, nothing else changes, and the answer is False. On any failure
    nothing is left behind: a file put for nothing is removed, a file already filed is kept."""
    from domain import repository

    existed = stable and repository.file_exists(document.s3_key)
    repository.put_file(document.s3_key, data, document.content_type)
    filing = [put_operation(member_id, document)]
    try:
        if write is not None:
            write(filing)
        else:
            repository.write([*filing, *(extra or [])])
    except Conflict:
        if stable and not extra and write is None:
            return False
        if not existed:
            remove_quietly(document.s3_key)
        raise
    except Exception:
        if not existed:
            remove_quietly(document.s3_key)
        raise
    return True


def remove_quietly(key: str) -> None:
    """Remove a file put for nothing; should that fail too, it is an unlisted orphan."""
    from domain import repository
    from shared.errors import ServiceUnavailable
    from shared.observability import logger

    try:
        repository.delete_file(key)
    except ServiceUnavailable:
        logger.warning("could not remove an unfiled document's file")


def download_name(document: DocumentItem) -> str:
    """A plain French file name for the download (« releve-de-prestations-de-janvier-2026.pdf »):
    ASCII only, as it travels in a Content-Disposition header."""
    ext = extension(document.content_type)
    title = re.sub(rf"\.{ext}$|\.jpeg$", "", document.title, flags=re.IGNORECASE)
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].strip("-")
    return f"{slug or 'document'}.{ext}"
