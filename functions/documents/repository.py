"""Storage of the documents function: documents (domain.documents' items), attestations and
their public check keys, and the files. Only this module (and shared.repository) touches AWS."""

from __future__ import annotations

from typing import Any

from documents.models import AttestationCheckItem, AttestationItem
from domain.documents import DocumentItem, document_sk
from shared.ids import created_of
from shared.repository import get_item, presigned_get, query_all, query_page, transact

DOC = "DOC#"
ATTEST = "ATTEST#"
READ_AHEAD = 200  # items read per call when filtering (small items: ~80 KB at most)


def _pk(member_id: str) -> str:
    return f"MEMBER#{member_id}"


def list_documents(member_id: str, *, kind: str | None, beneficiary_id: str | None,
                   year: int | None, cursor: str | None, limit: int,
                   ) -> tuple[list[DocumentItem], str | None]:
    """A page of her documents, newest first. The year narrows the key range (a document's
    id carries its UTC creation time: the range is a day wider on each side, and the stored
    Paris year decides); the kind and the beneficiary filter within it."""
    from boto3.dynamodb.conditions import Attr

    conditions = []
    between = None
    if year is not None:
        between = (f"{DOC}{year - 1}1231T", f"{DOC}{year + 1}0101T~")
        conditions.append(Attr("year").eq(year))
    if kind:
        conditions.append(Attr("kind").eq(kind))
    if beneficiary_id:
        conditions.append(Attr("beneficiary_id").eq(beneficiary_id))
    where = None
    for condition in conditions:
        where = condition if where is None else where & condition
    items, nxt = query_page(partition=("pk", _pk(member_id)),
                            sort_between=between, sort_prefix=None if between else DOC,
                            where=where, read_ahead=READ_AHEAD, cursor=cursor,
                            limit=limit)
    return [DocumentItem.model_validate(i) for i in items], nxt


def document_facets(member_id: str) -> list[dict[str, Any]]:
    """Kind, year and beneficiary of every document of hers (for the filters)."""
    return [{"kind": i.get("kind"), "year": i.get("year"),
             "beneficiary_id": i.get("beneficiary_id")}
            for i in query_all(partition=("pk", _pk(member_id)), sort_prefix=DOC)]


def get_document(member_id: str, document_id: str) -> DocumentItem | None:
    if not created_of(document_id, "D"):
        return None
    item = get_item(_pk(member_id), document_sk(document_id))
    return DocumentItem.model_validate(item) if item else None


def link(key: str, seconds: int, filename: str, content_type: str) -> str:
    return presigned_get(key, seconds, filename=filename, content_type=content_type)


# ----------------------------------------------------------------------------- attestations
def attestation_sk(attestation_id: str) -> str:
    return f"{ATTEST}{created_of(attestation_id, 'A')}#{attestation_id}"


def check_key(code: str) -> dict[str, str]:
    return {"pk": f"ATTCHECK#{code}", "sk": "ATTCHECK"}


def attestation_operations(member_id: str, attestation: AttestationItem,
                           check: AttestationCheckItem) -> list[dict]:
    """The attestation in her file and its public check key, as transaction operations."""
    return [
        {"put": {**attestation.model_dump(mode="json", exclude_none=True), "pk": _pk(member_id),
                 "sk": attestation_sk(attestation.id), "type": "attestation"}},
        {"put": {**check.model_dump(mode="json"), **check_key(attestation.code),
                 "type": "attestation_check"}},
    ]


def get_attestation(member_id: str, attestation_id: str) -> AttestationItem | None:
    if not created_of(attestation_id, "A"):
        return None
    item = get_item(_pk(member_id), attestation_sk(attestation_id))
    return AttestationItem.model_validate(item) if item else None


def list_attestations(member_id: str, cursor: str | None, limit: int
                      ) -> tuple[list[AttestationItem], str | None]:
    items, nxt = query_page(partition=("pk", _pk(member_id)), sort_prefix=ATTEST,
                            cursor=cursor, limit=limit)
    return [AttestationItem.model_validate(i) for i in items], nxt


def revoke(member_id: str, attestation: AttestationItem, revoked_at: str,
           audit_entry: dict) -> None:
    """The attestation and its public check, revoked together (once), with the audit entry."""
    transact([
        {"update": {"key": {"pk": _pk(member_id), "sk": attestation_sk(attestation.id)},
                    "set": {"status": "revoked", "revoked_at": revoked_at},
                    "condition": ("status", "issued")}},
        {"update": {"key": check_key(attestation.code), "set": {"revoked": True},
                    "condition": ("attestation_id", attestation.id)}},
        audit_entry,
    ])


def check(code: str) -> AttestationCheckItem | None:
    key = check_key(code)
    item = get_item(key["pk"], key["sk"])
    return AttestationCheckItem.model_validate(item) if item else None
