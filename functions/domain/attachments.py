"""Attachments of requests and conversations: the uploads a member checked in (support's
upload routes take them in), the one rule saying which of them may be attached, and the
operations marking them attached, written with what attaches them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain import repository
from shared import clock
from shared.errors import Unprocessable
from shared.ids import created_of

UploadStatus = Literal["pending", "ready", "rejected", "attached"]


class UploadItem(BaseModel):
    """As stored under MEMBER#<id> / UPLOAD#<id>."""

    model_config = ConfigDict(extra="ignore")
    id: str
    created_at: str
    expires_at: str
    filename: str
    content_type: str
    declared_size: int
    size: int | None = None
    s3_key: str  # where the checked file is (incoming/ until confirmed)
    status: UploadStatus
    request_id: str | None = None
    by: dict[str, str] | None = None  # {name, for}: sent by someone acting for the member


def upload_sk(upload_id: str) -> str:
    return f"UPLOAD#{upload_id}"


def _now() -> datetime:
    return clock.now()


def expired(upload: UploadItem) -> bool:
    return datetime.fromisoformat(upload.expires_at) < _now()


def check_ready(upload_ids: list[str], stored: dict[str, UploadItem]) -> list[UploadItem]:
    """The uploads to attach, from those read (`stored`, by id): each the member's own,
    confirmed, unexpired, once. The one rule, for requests and messages alike."""
    if len(set(upload_ids)) != len(upload_ids):
        raise Unprocessable("Le même fichier est joint deux fois : retirez le doublon.",
                            code="upload_duplicate")
    found = []
    for upload_id in upload_ids:
        upload = stored.get(upload_id)
        if upload is None or upload.status != "ready":
            raise Unprocessable("Un des fichiers joints n'est pas prêt ou a déjà servi : "
                                "déposez-le à nouveau.", code="upload_not_ready",
                                fields={"upload_ids": "fichier non prêt"})
        if expired(upload):
            raise Unprocessable("Le dépôt d'un des fichiers a expiré : déposez-le à nouveau.",
                                code="upload_expired", fields={"upload_ids": "fichier expiré"})
        found.append(upload)
    return found


def stored_uploads(member_id: str, items: list[dict]) -> dict[str, UploadItem]:
    """The uploads among items read from the member's partition, by id."""
    return {item["id"]: UploadItem.model_validate(item) for item in items
            if item.get("sk", "").startswith("UPLOAD#")
            and item.get("pk") == f"MEMBER#{member_id}"}


def ready_uploads(member_id: str, upload_ids: list[str]) -> list[UploadItem]:
    """Read the uploads a request attaches (one call, any count) and check them."""
    wanted = [i for i in dict.fromkeys(upload_ids) if created_of(i, "U")]
    items = repository.items_of(member_id, [upload_sk(i) for i in wanted])
    return check_ready(upload_ids, stored_uploads(member_id, items))


def get_upload(member_id: str, upload_id: str) -> UploadItem | None:
    if not created_of(upload_id, "U"):
        return None
    item = repository.member_item(member_id, upload_sk(upload_id))
    return UploadItem.model_validate(item) if item else None


def attach_operations(member_id: str, uploads: list[UploadItem], request_id: str) -> list[dict]:
    """Transaction operations that mark the uploads as attached to a request (once)."""
    return [{"update": {"key": {"pk": f"MEMBER#{member_id}", "sk": upload_sk(u.id)},
                        "set": {"status": "attached", "request_id": request_id},
                        "condition": ("status", "ready")}} for u in uploads]
