"""Routes of teleconsultation: book one, list them, one of them, cancel one to come."""

from services.logic import teleconsultations as teleconsultation
from services.models import TeleconsultationIn, TeleconsultationOut
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


@router.post("/services/teleconsultations",
             responses=created_as(TeleconsultationOut, "Téléconsultation réservée"))
def create(who: CurrentCaller, body: TeleconsultationIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="teleconsultation", key=key, body=body,
                       output=TeleconsultationOut,
                       create=lambda: teleconsultation.create(who, body, key))


@router.get("/services/teleconsultations")
def list_consultations(who: CurrentCaller, cursor: Cursor = None, limit: Limit = 20
                       ) -> Page[TeleconsultationOut]:
    return teleconsultation.consultations(who, cursor=cursor, limit=limit)


@router.get("/services/teleconsultations/<consultation_id>")
def consultation(who: CurrentCaller, consultation_id: PathId) -> TeleconsultationOut:
    return teleconsultation.consultation(who, consultation_id)


@router.post("/services/teleconsultations/<consultation_id>/cancel")
def cancel(who: CurrentCaller, consultation_id: PathId) -> TeleconsultationOut:
    return teleconsultation.cancel(who, consultation_id)
