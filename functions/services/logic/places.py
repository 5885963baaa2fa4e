"""Find an agency or a partner health professional: nearest first, with the distance.

A search reads the cells (geohash, 4 characters) that come within its radius, for the kind
asked: one BatchGetItem of at most 100 (cell, kind) keys, whatever the number of places, since
a radius of 50 km touches about 30 cells. Every kind at once asks more keys: they are read
nearest cells first, 100 at a time, and the reading stops as soon as the places found nearer
than the next unread cell are enough (those are exactly the nearest ones).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time

from services import repository
from services.logic import geo, towns
from services.logic.place_kinds import BY_LETTER, HOURS_PROFILES, KINDS, gain
from services.models import (
    GainOut,
    HoursLineOut,
    OriginOut,
    PlaceKindOut,
    PlaceKindsOut,
    PlaceOut,
    PlaceRecord,
    PlacesOut,
    PlaceSummary,
)
from shared import clock
from shared.dates import PARIS
from shared.errors import BadRequest, NotFound
from shared.hours import OpeningHours, fr_moment, fr_time, public_holidays
from shared.settings import get_settings

MAX_RADIUS_KM = 50
DEFAULT_RADIUS_KM = 20
MAX_RESULTS = 50
PLACE_ID = re.compile(r"^[0-9b-hjkmnp-z]{9}[a-z][0-9]{1,3}$")
NOT_FOUND = "Ce lieu est introuvable : il ne fait peut-être plus partie de nos partenaires. " \
            "Relancez la recherche."


def _now() -> datetime:
    return clock.now()


def kinds() -> PlaceKindsOut:
    return PlaceKindsOut(items=[PlaceKindOut(kind=k.code, label=k.label, plural=k.plural)
                                for k in KINDS.values()])


def distance_label(metres: float) -> str:
    """« 350 m », « 1,2 km », « 14 km »."""
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)} m"
    km = metres / 1000
    return f"{km:.1f} km".replace(".", ",") if km < 10 else f"{round(km)} km"


def _hours(place: PlaceRecord, on: date) -> OpeningHours:
    profile = HOURS_PROFILES[place.hours or "week"]
    alsace = place.postcode[:2] in ("57", "67", "68")
    closed = public_holidays(alsace_moselle=alsace)
    return OpeningHours(week={day: tuple((time.fromisoformat(a), time.fromisoformat(b))
                                         for a, b in periods)
                              for day, periods in profile.items()}, closed=closed)


def _status(place: PlaceRecord, now: datetime) -> tuple[bool | None, str | None]:
    if place.kind != "agency":
        return None, None
    hours = _hours(place, now.astimezone(PARIS).date())
    period = hours.period_at(now)
    if period:
        return True, f"Ouverte jusqu'à {fr_time(period[1].timetz())}"
    opening = hours.next_opening(now)
    return False, ("Fermée, ouvre " + fr_moment(opening, now)) if opening else "Fermée"


def _gains(place: PlaceRecord) -> list[GainOut]:
    brand = get_settings().brand_name
    return [gain(place.kind, code, brand) for code in place.gains]


def _summary(place: PlaceRecord, metres: float, now: datetime) -> PlaceSummary:
    open_now, status = _status(place, now)
    return PlaceSummary(id=place.id, kind=place.kind, kind_label=KINDS[place.kind].label,
                        name=place.name, street=place.street, postcode=place.postcode,
                        town=place.town, lat=place.lat, lon=place.lon,
                        distance_m=round(metres), distance_label=distance_label(metres),
                        open_now=open_now, status_label=status, gains=_gains(place))


def origin_of(*, lat: float | None, lon: float | None, town: str | None,
              postcode: str | None) -> OriginOut:
    if (lat is None) != (lon is None):
        raise BadRequest("Une position se donne avec sa latitude et sa longitude.",
                         code="position", fields={"lat" if lat is None else "lon":
                                                  "information obligatoire"})
    if lat is not None and lon is not None:
        if town or postcode:
            raise BadRequest("Cherchez autour de votre position ou d'une commune, pas des "
                             "deux à la fois.", code="origin")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
            raise BadRequest("Cette position n'existe pas : la latitude va de -90 à 90 et "
                             "la longitude de -180 à 180.", code="position",
                             fields={"lat" if not -90 <= lat <= 90 else "lon":
                                     "hors des limites"})
        return OriginOut(label="Votre position", lat=lat, lon=lon, approximate=False)
    if town:
        return towns.from_town(town, postcode)
    if postcode:
        return towns.from_postcode(postcode)
    raise BadRequest("Indiquez une commune, un code postal, ou cherchez autour de vous.",
                     code="origin", fields={"town": "information obligatoire"})


def nearest(origin: OriginOut, kinds: list[str], radius_m: float,
            limit: int) -> tuple[list[tuple[float, PlaceRecord]], int, bool]:
    """The `limit` nearest places of these kinds within the radius, nearest first (ties by
    id), how many the reading found within the radius, and whether that count is all of
    them (every cell read)."""
    cells = geo.cover(origin.lat, origin.lon, radius_m)
    keys = [(distance, c.geohash, kind) for distance, c in cells for kind in kinds]
    found: list[tuple[float, PlaceRecord]] = []
    read = 0
    while read < len(keys):
        chunk = keys[read:read + repository.BATCH_KEYS]
        read += len(chunk)
        for places in repository.place_cells([(g, k) for _, g, k in chunk]).values():
            for place in places:
                metres = geo.haversine_m(origin.lat, origin.lon, place.lat, place.lon)
                if metres <= radius_m:
                    found.append((metres, place))
        # Every place nearer than the next unread cell has been read.
        known = keys[read][0] if read < len(keys) else radius_m
        if read < len(keys) and sum(1 for m, _ in found if m < known) >= limit:
            break
    found.sort(key=lambda pair: (pair[0], pair[1].id))
    return found[:limit], len(found), read >= len(keys)


def search(*, lat: float | None, lon: float | None, town: str | None, postcode: str | None,
           kind: str | None, radius_km: int, limit: int) -> PlacesOut:
    if not 1 <= radius_km <= MAX_RADIUS_KM:
        raise BadRequest(f"Le rayon de recherche va de 1 à {MAX_RADIUS_KM} km.",
                         code="radius", fields={"radius_km": f"de 1 à {MAX_RADIUS_KM} km"})
    origin = origin_of(lat=lat, lon=lon, town=town, postcode=postcode)
    kinds = [kind] if kind else list(KINDS)
    found, total, exhaustive = nearest(origin, kinds, radius_km * 1000, limit)
    now = _now()
    message = None
    if not found:
        what = (f"Aucun lieu de type « {KINDS[kind].label.lower()} »" if kind
                else "Aucune agence ni aucun partenaire")
        message = f"{what} à moins de {radius_km} km. " + (
            f"Élargissez la recherche (jusqu'à {MAX_RADIUS_KM} km)." if radius_km <
            MAX_RADIUS_KM else "Nos partenaires sont en France métropolitaine : essayez une "
            "autre commune.")
    return PlacesOut(items=[_summary(p, m, now) for m, p in found], total=total,
                     exhaustive=exhaustive, origin=origin, radius_km=radius_km, kind=kind,
                     message=message)


def detail(place_id: str) -> PlaceOut:
    if not PLACE_ID.match(place_id) or place_id[9] not in BY_LETTER:
        raise NotFound(NOT_FOUND)
    kind = BY_LETTER[place_id[9]].code
    cell = place_id[:geo.CELL_PRECISION]  # a geohash's prefix is the cell holding it
    rows = repository.place_cells([(cell, kind)]).get((cell, kind), [])
    place = next((p for p in rows if p.id == place_id), None)
    if place is None:
        raise NotFound(NOT_FOUND)
    now = _now()
    open_now, status = _status(place, now)
    lines, note = [], None
    if place.kind == "agency":
        hours = _hours(place, now.astimezone(PARIS).date())
        lines = [HoursLineOut(days=d, hours=h) for d, h in hours.lines()]
        local = now.astimezone(PARIS).date()
        note = ("Aujourd'hui est un jour férié : l'agence est fermée. " if local in
                hours.closed else "") + "L'agence est fermée les jours fériés."
    return PlaceOut(id=place.id, kind=place.kind, kind_label=KINDS[place.kind].label,
                    name=place.name, street=place.street, postcode=place.postcode,
                    town=place.town, lat=place.lat, lon=place.lon, phone=place.phone,
                    email=place.email, open_now=open_now, status_label=status, hours=lines,
                    hours_note=note, gains=_gains(place))

