"""Routes of « Mon contrat »: the contract, the guarantees, the contributions."""

from contract.logic import contributions, guarantees, overview
from contract.models import ContractOut, ContributionsOut
from engine.guarantees import GuaranteeTable
from shared import clock
from shared.http import CurrentCaller, Router

router = Router()


@router.get("/contract")
def get_contract(who: CurrentCaller) -> ContractOut:
    return overview.get_contract(who)


@router.get("/contract/guarantees")
def get_guarantees(who: CurrentCaller) -> GuaranteeTable:
    return guarantees.guarantees(who)


@router.get("/contract/contributions")
def get_contributions(who: CurrentCaller) -> ContributionsOut:
    return contributions.get_contributions(who, clock.today())
