"""Routes of « Résilier mon contrat »: what she may terminate, and the request itself."""

from contract.logic import termination
from contract.models import TerminationCreated, TerminationIn, TerminationOut
from shared.http import CurrentCaller, IdempotencyKey, Router, create_once, created_as

router = Router()


@router.get("/contract/termination")
def get_termination(who: CurrentCaller) -> TerminationOut:
    return termination.view(who)


@router.post("/contract/termination",
             responses=created_as(TerminationCreated, "Demande de résiliation reçue"))
def request_termination(who: CurrentCaller, body: TerminationIn, key: IdempotencyKey):
    # An employer's contract is refused before any idempotency record: nothing is written.
    termination.refuse_collective(who)
    return create_once(router, who=who, operation="termination", key=key, body=body,
                       output=TerminationCreated,
                       create=lambda: termination.request(who, body, key))
