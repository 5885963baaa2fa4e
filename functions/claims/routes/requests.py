"""Routes of « Demander un remboursement »: upload tickets, confirmation, requests."""

from claims.logic import requests
from claims.models import ReimbursementRequestIn, ReimbursementRequestOut
from shared.http import (
    CurrentCaller,
    Cursor,
    IdempotencyKey,
    Limit,
    Page,
    PathId,
    Router,
    create_once,
    created,
    created_as,
)
from shared.uploads import UploadIn, UploadLimits, UploadOut, UploadTicket

router = Router()


@router.get("/claims/uploads/limits")
def upload_limits(who: CurrentCaller) -> UploadLimits:
    return requests.upload_limits()


@router.post("/claims/uploads", responses=created_as(UploadTicket, "Autorisation de dépôt"))
def create_upload(who: CurrentCaller, body: UploadIn):
    return created(requests.create_upload(who, body))


@router.post("/claims/uploads/<upload_id>/confirm")
def confirm_upload(who: CurrentCaller, upload_id: PathId) -> UploadOut:
    return requests.confirm_upload(who, upload_id)


@router.post("/claims/requests",
             responses=created_as(ReimbursementRequestOut, "Demande de remboursement reçue"))
def create_request(who: CurrentCaller, body: ReimbursementRequestIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="reimbursement_request", key=key, body=body,
                       output=ReimbursementRequestOut,
                       create=lambda: requests.create_request(who, body, key))


@router.get("/claims/requests")
def list_requests(who: CurrentCaller, cursor: Cursor = None,
                  limit: Limit = 20) -> Page[ReimbursementRequestOut]:
    return requests.list_requests(who, cursor, limit)


@router.get("/claims/requests/<request_id>")
def get_request(who: CurrentCaller, request_id: PathId) -> ReimbursementRequestOut:
    return requests.get_request(who, request_id)
