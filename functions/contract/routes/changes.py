"""Routes of the changes a member asks for: bank details, a beneficiary, a portabilité."""

from aws_lambda_powertools.event_handler.request import Request

from contract.logic import changes
from contract.models import (
    BankDetailsIn,
    BeneficiaryIn,
    EligibilityOut,
    FiledRequest,
    IbanCheckOut,
    IbanIn,
    PortabilityIn,
    PortabilityRequestIn,
)
from shared.http import CurrentCaller, IdempotencyKey, Router, create_once, created_as

router = Router()
FILED = "Demande envoyée : un conseiller la traite"


@router.post("/contract/iban-checks")
def check_iban(who: CurrentCaller, body: IbanIn) -> IbanCheckOut:
    return changes.iban_check(body.iban)


@router.post("/contract/bank-details", responses=created_as(FiledRequest, FILED))
def change_bank_details(who: CurrentCaller, body: BankDetailsIn, key: IdempotencyKey,
                        request: Request):
    context = request.resolved_event.request_context
    origin = {"ip": context.http.source_ip, "user_agent": context.http.user_agent[:200]}
    return create_once(router, who=who, operation="bank_details", key=key, body=body,
                       output=FiledRequest,
                       create=lambda: changes.bank_details(who, body, key, origin))


@router.post("/contract/beneficiaries", responses=created_as(FiledRequest, FILED))
def add_beneficiary(who: CurrentCaller, body: BeneficiaryIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="beneficiary_add", key=key, body=body,
                       output=FiledRequest,
                       create=lambda: changes.add_beneficiary(who, body, key))


@router.post("/contract/portability/eligibility")
def portability_eligibility(who: CurrentCaller, body: PortabilityIn) -> EligibilityOut:
    return changes.eligibility(who, body)


@router.post("/contract/portability", responses=created_as(FiledRequest, FILED))
def declare_portability(who: CurrentCaller, body: PortabilityRequestIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="portability", key=key, body=body,
                       output=FiledRequest,
                       create=lambda: changes.declare_portability(who, body, key))
