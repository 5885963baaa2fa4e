"""Routes of the card in the phone's wallet: what is offered, the Apple pass and the Google
save link (hers), and Apple's pass web service (public: Apple's devices authenticate with the
pass's own token, `Authorization: ApplePass <token>`; paths and answers are Apple's)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.request import Request

from contract.logic import wallet
from contract.models import (
    AppleLogIn,
    AppleRegistrationIn,
    AppleSerialsOut,
    FileLink,
    GoogleSaveOut,
    WalletOut,
    WalletPassIn,
)
from shared.http import CurrentCaller, IdempotencyKey, Router, create_once, created_as

router = Router()
Device = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,100}$")]
PassType = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,100}$")]
Serial = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
APPLE = "/public/wallet/apple/v1"


@router.get("/contract/card/wallet")
def wallet_offer(who: CurrentCaller) -> WalletOut:
    return wallet.availability(who)


@router.post("/contract/card/wallet/apple",
             responses=created_as(FileLink, "Carte pour Apple Wallet (.pkpass)"))
def apple_pass(who: CurrentCaller, body: WalletPassIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="wallet_apple", key=key, body=body,
                       output=FileLink, create=lambda: wallet.issue_apple(who))


@router.post("/contract/card/wallet/google",
             responses=created_as(GoogleSaveOut, "Lien d'ajout à Google Wallet"))
def google_pass(who: CurrentCaller, body: WalletPassIn, key: IdempotencyKey):
    return create_once(router, who=who, operation="wallet_google", key=key, body=body,
                       output=GoogleSaveOut, create=lambda: wallet.issue_google(who))


def _authorization(request: Request) -> str | None:
    return request.headers.get("authorization") or request.headers.get("Authorization")


@router.post(f"{APPLE}/devices/<device>/registrations/<pass_type>/<serial>", security=[],
             responses={201: {"description": "Appareil enregistré"},
                        200: {"description": "Appareil déjà enregistré"},
                        401: {"description": "Jeton du pass invalide"}})
def apple_register(device: Device, pass_type: PassType, serial: Serial,
                   body: AppleRegistrationIn, request: Request):
    new = wallet.register(device, pass_type, serial, _authorization(request), body.pushToken)
    return Response(status_code=201 if new else 200, content_type="application/json", body="{}")


@router.delete(f"{APPLE}/devices/<device>/registrations/<pass_type>/<serial>", security=[],
               responses={200: {"description": "Appareil désinscrit"},
                          401: {"description": "Jeton du pass invalide"}})
def apple_unregister(device: Device, pass_type: PassType, serial: Serial, request: Request):
    wallet.unregister(device, pass_type, serial, _authorization(request))
    return Response(status_code=200, content_type="application/json", body="{}")


@router.get(f"{APPLE}/devices/<device>/registrations/<pass_type>", security=[],
            responses={200: {"description": "Pass mis à jour",
                             "content": {"application/json": {"model": AppleSerialsOut}}},
                       204: {"description": "Aucun pass mis à jour"}})
def apple_serials(device: Device, pass_type: PassType,
                  passesUpdatedSince: Annotated[str | None, Query(max_length=20)] = None):  # noqa: N803 - Apple's name
    found = wallet.updated_serials(device, pass_type, passesUpdatedSince)
    if found is None:
        return Response(status_code=204, body="")
    return Response(status_code=200, content_type="application/json",
                    body=found.model_dump_json())


@router.get(f"{APPLE}/passes/<pass_type>/<serial>", security=[],
            responses={200: {"description": "Le pass à jour",
                             "content": {"application/vnd.apple.pkpass": {}}},
                       304: {"description": "Pas modifié"},
                       401: {"description": "Jeton du pass invalide"}})
def apple_latest(pass_type: PassType, serial: Serial, request: Request):
    found = wallet.latest(pass_type, serial, _authorization(request),
                          request.headers.get("if-modified-since"))
    if found.data is None:
        return Response(status_code=304, body="", headers={"Last-Modified": found.last_modified})
    return Response(status_code=200, content_type="application/vnd.apple.pkpass",
                    body=found.data,
                    headers={"Last-Modified": found.last_modified})


@router.post(f"{APPLE}/log", security=[], responses={200: {"description": "Lignes reçues"}})
def apple_log(body: AppleLogIn):
    wallet.device_log(body.logs)
    return Response(status_code=200, content_type="application/json", body="{}")
