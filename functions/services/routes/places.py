"""Routes of the place finder: agencies and partner health professionals near a town, a
postcode or a position; one place; the kinds of places with their French names; towns for the
town field. Any signed-in caller (an advisor helping a member too)."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from services.logic import places, towns
from services.models import PlaceKind, PlaceKindsOut, PlaceOut, PlacesOut, TownsOut
from shared.http import CurrentCaller, PathId, Router

router = Router()

Latitude = Annotated[float | None, Query(ge=-90, le=90, description="Latitude (WGS 84)")]
Longitude = Annotated[float | None, Query(ge=-180, le=180, description="Longitude (WGS 84)")]


@router.get("/services/places")
def search(who: CurrentCaller, lat: Latitude = None, lon: Longitude = None,
           town: Annotated[str | None, Query(max_length=80, description="Commune")] = None,
           postcode: Annotated[str | None, Query(max_length=10,
                                                 description="Code postal")] = None,
           kind: Annotated[PlaceKind | None, Query(description="Type de lieu")] = None,
           radius_km: Annotated[int, Query(ge=1, le=places.MAX_RADIUS_KM,
                                           description="Rayon (km)")] = places.DEFAULT_RADIUS_KM,
           limit: Annotated[int, Query(ge=1, le=places.MAX_RESULTS,
                                       description="Nombre de lieux")] = 20) -> PlacesOut:
    return places.search(lat=lat, lon=lon, town=town, postcode=postcode, kind=kind,
                         radius_km=radius_km, limit=limit)


@router.get("/services/place-kinds")
def place_kinds(who: CurrentCaller) -> PlaceKindsOut:
    return places.kinds()


@router.get("/services/places/<place_id>")
def place(who: CurrentCaller, place_id: PathId) -> PlaceOut:
    return places.detail(place_id)


@router.get("/services/towns")
def suggest(who: CurrentCaller, q: Annotated[str, Query(min_length=2, max_length=60,
                                                        description="Début du nom ou du code "
                                                                    "postal")]) -> TownsOut:
    return TownsOut(items=towns.suggest(q))
