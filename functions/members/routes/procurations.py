"""Routes of « Mes procurations » (signed in) and of the account made from an invitation
(public: the invitation's code proves the address)."""

from members.logic import procurations
from members.models import (
    AcceptIn,
    AccountCreatedOut,
    ProcurationAccountIn,
    ProcurationIn,
    ProcurationOut,
    ProcurationsOut,
)
from members.routes.profile import TOO_MANY
from shared.http import (
    CurrentCaller,
    IdempotencyKey,
    PathId,
    Router,
    create_once,
    created,
    created_as,
    no_content,
)

router = Router()


@router.post("/members/procurations",
             responses=created_as(ProcurationOut, "Invitation envoyée à la personne de "
                                                  "confiance"))
def invite(who: CurrentCaller, body: ProcurationIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="procuration", key=key, body=body,
                       output=ProcurationOut,
                       create=lambda: procurations.invite(who, body, key))


@router.get("/members/procurations")
def list_procurations(who: CurrentCaller) -> ProcurationsOut:
    return procurations.list_all(who)


@router.post("/members/procurations/accept", responses=TOO_MANY)
def accept(who: CurrentCaller, body: AcceptIn) -> ProcurationOut:
    return procurations.accept(who, body)


@router.post("/members/procurations/<procuration_id>/end",
             responses={204: {"description": "Procuration terminée"}})
def end(who: CurrentCaller, procuration_id: PathId):
    procurations.end(who, procuration_id)
    return no_content()


@router.post("/public/procurations/accounts", security=[],
             responses={**created_as(AccountCreatedOut, "Compte créé, procuration acceptée"),
                        **TOO_MANY})
def create_account(body: ProcurationAccountIn):
    return created(procurations.create_account(body))
