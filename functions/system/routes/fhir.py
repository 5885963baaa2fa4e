"""`POST /system/fhir`: one FHIR resource from the management system, applied as a line of an
inbox file would be. API Gateway lets only IAM-signed calls (SigV4) reach it."""

from shared.http import Router
from system.logic import resources
from system.models import Outcome

router = Router()


@router.post("/system/fhir", responses={
    422: {"description": "Ressource refusée (raison en français)"},
    403: {"description": "Appel non signé par le système de gestion"}})
def apply_resource() -> Outcome:
    event = router.current_event
    return resources.apply_one(event.raw_event, (event.decoded_body or "").encode())
