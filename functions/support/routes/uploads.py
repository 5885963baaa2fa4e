"""Routes of the one upload mechanism: a ticket, the file straight to storage, a check."""

from shared.http import CurrentCaller, PathId, Router, created, created_as
from support.logic import uploads
from support.models import UploadIn, UploadLimits, UploadOut, UploadTicket

router = Router()


@router.get("/support/uploads/limits")
def upload_limits(who: CurrentCaller) -> UploadLimits:
    return uploads.limits()


@router.post("/support/uploads", responses=created_as(UploadTicket, "Autorisation de dépôt"))
def create_upload(who: CurrentCaller, body: UploadIn):
    return created(uploads.create_ticket(who.member, body))


@router.post("/support/uploads/<upload_id>/confirm")
def confirm_upload(who: CurrentCaller, upload_id: PathId) -> UploadOut:
    return uploads.confirm(who.member, upload_id)
