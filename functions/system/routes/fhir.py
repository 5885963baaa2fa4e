"""`POST /system/fhir`: one FHIR resource from the management system, applied as a line of an
inbox file would be. API Gateway lets only IAM-signed calls (SigV4) reach it."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from shared.http import Router
from system.logic import resources
from system.models import Outcome

router = Router()

Resource = Annotated[dict[str, Any], Body(
    description="Une ressource FHIR R4B (Patient, Coverage, ExplanationOfBenefit ou Invoice) "
                "du profil décrit dans docs/integration.md")]


@router.post("/system/fhir", responses={
    422: {"description": "Ressource refusée (raison en français)"}})
def apply_resource(resource: Resource) -> Outcome:
    # The exact bytes, not the parsed body: amounts stay decimals (cents exactly) and the
    # digest is the sender's content.
    event = router.current_event
    return resources.apply_one(event.raw_event, (event.decoded_body or "").encode())
