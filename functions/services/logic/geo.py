"""Geometry of the place finder: great-circle distances, and the geohash cells a search reads.

Places are stored by geohash cell (pygeohash does the encoding): a search reads every cell
whose rectangle comes within the radius of its origin, so nothing closer than the radius is
ever missed. The distance from a point to a cell is exact on the sphere (the nearest point of
a meridian segment is where the perpendicular from the point meets it), so the cover holds
the cells it must and no other. Pure: no storage, no HTTP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygeohash

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG), as haversine distances usually take it
CELL_PRECISION = 4  # 20 bits: cells of 0.3516° of longitude × 0.1758° of latitude
# The dataset covers metropolitan France and Corsica: no cell outside this box holds a place,
# so a search far from it reads nothing (and the number of cells stays small near the poles).
COVERAGE = (41.0, -5.5, 51.5, 10.0)  # min lat, min lon, max lat, max lon


@dataclass(frozen=True)
class Cell:
    geohash: str
    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.min_lat + self.max_lat) / 2, (self.min_lon + self.max_lon) / 2


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def encode(lat: float, lon: float, precision: int = 9) -> str:
    return pygeohash.encode(lat, lon, precision=precision)


def cell(geohash: str) -> Cell:
    box = pygeohash.get_bounding_box(geohash)
    return Cell(geohash, box.min_lat, box.min_lon, box.max_lat, box.max_lon)


def _to_meridian_segment(lat: float, lon: float, meridian: float, lat_lo: float,
                         lat_hi: float) -> float:
    """Distance from a point to the part [lat_lo, lat_hi] of the meridian `meridian`."""
    delta = math.radians(lon - meridian)
    if math.cos(delta) <= 0:  # more than a quarter of the globe away: the ends are nearest
        return min(haversine_m(lat, lon, lat_lo, meridian), haversine_m(lat, lon, lat_hi,
                                                                         meridian))
    # The foot of the perpendicular from the point to the meridian's great circle; the
    # distance along the meridian grows away from it, so the nearest point is the clamp.
    foot = math.degrees(math.atan2(math.tan(math.radians(lat)), math.cos(delta)))
    return haversine_m(lat, lon, min(max(foot, lat_lo), lat_hi), meridian)


def distance_to_cell_m(lat: float, lon: float, c: Cell) -> float:
    """The shortest distance from a point to any point of the cell (0 inside it)."""
    if c.min_lon <= lon <= c.max_lon:
        return haversine_m(lat, lon, min(max(lat, c.min_lat), c.max_lat), lon)
    return min(_to_meridian_segment(lat, lon, c.min_lon, c.min_lat, c.max_lat),
               _to_meridian_segment(lat, lon, c.max_lon, c.min_lat, c.max_lat))


def cover(lat: float, lon: float, radius_m: float,
          precision: int = CELL_PRECISION) -> list[tuple[float, Cell]]:
    """Every cell (within the coverage) that comes within `radius_m` of the point, nearest
    first, with its distance: what a search of that radius must read, and nothing more."""
    min_lat, min_lon, max_lat, max_lon = COVERAGE
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    south, north = max(lat - dlat, min_lat), min(lat + dlat, max_lat)
    if south > north:
        return []
    # The widest longitude span of the circle is on the parallel nearest the pole.
    widest = max(abs(south), abs(north))
    cos_lat = math.cos(math.radians(widest))
    dlon = 180.0 if cos_lat <= 1e-9 else min(180.0, dlat / cos_lat)
    west, east = max(lon - dlon, min_lon), min(lon + dlon, max_lon)
    if west > east:
        return []
    sample = cell(encode(lat if min_lat <= lat <= max_lat else south,
                         lon if min_lon <= lon <= max_lon else west, precision))
    height, width = sample.max_lat - sample.min_lat, sample.max_lon - sample.min_lon
    rows = range(math.floor((south + 90) / height), math.floor((north + 90) / height) + 1)
    columns = range(math.floor((west + 180) / width), math.floor((east + 180) / width) + 1)
    found: dict[str, tuple[float, Cell]] = {}
    for row in rows:
        for column in columns:
            centre_lat = -90 + (row + 0.5) * height
            centre_lon = -180 + (column + 0.5) * width
            c = cell(encode(centre_lat, centre_lon, precision))
            distance = distance_to_cell_m(lat, lon, c)
            if distance <= radius_m:
                found[c.geohash] = (distance, c)
    return sorted(found.values(), key=lambda pair: (pair[0], pair[1].geohash))
