"""Routes of « Mes attestations », and the attestations' public check (no sign-in: what a
landlord's, an employer's or a hospital's phone reaches by scanning the QR code)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from documents.logic import attestations
from documents.models import AttestationCheckOut, AttestationCreated, AttestationIn, AttestationOut
from shared.http import (
    CurrentCaller,
    Cursor,
    IdempotencyKey,
    Limit,
    Page,
    PathId,
    Router,
    create_once,
    created_as,
)

router = Router()
# Loose on purpose: whatever was typed gets the logic's one French « unknown » answer.
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,64}$",
                           description="Code de vérification (20 caractères, tirets permis)")]


@router.post("/documents/attestations",
             responses=created_as(AttestationCreated, "Attestation établie et classée"))
def create_attestation(who: CurrentCaller, body: AttestationIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="attestation", key=key, body=body,
                       output=AttestationCreated,
                       create=lambda: attestations.create(who, body, key))


@router.get("/documents/attestations")
def list_attestations(who: CurrentCaller, cursor: Cursor = None,
                      limit: Limit = 20) -> Page[AttestationOut]:
    return attestations.list_attestations(who, cursor, limit)


@router.post("/documents/attestations/<attestation_id>/revoke")
def revoke_attestation(who: CurrentCaller, attestation_id: PathId) -> AttestationOut:
    return attestations.revoke(who, attestation_id)


@router.get("/public/attestations/<code>", security=[])
def check_attestation(code: Code) -> AttestationCheckOut:
    return attestations.check(code)
