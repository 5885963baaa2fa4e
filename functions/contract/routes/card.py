"""Routes of the tiers payant card, and its public check (no sign-in: what a health
professional's phone reaches by scanning the QR code)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from contract.logic import card
from contract.models import CardCheckOut, CardOut, FileLink
from shared.http import CurrentCaller, Router, created, created_as

router = Router()
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,40}$")]


@router.get("/contract/card")
def get_card(who: CurrentCaller) -> CardOut:
    return card.card(who)


@router.post("/contract/card/exports", responses=created_as(FileLink, "Carte en PDF"))
def export_card(who: CurrentCaller):
    return created(card.card_pdf(who))


@router.get("/public/cards/<code>", security=[])
def check_card(code: Code) -> CardCheckOut:
    return card.check(code)
