"""The place finder's geometry and search, without storage: distances, the cells a search
reads, and the search itself against a brute-force nearest search over a few thousand
generated places (same places, same order, same distances)."""

from __future__ import annotations

import math
import random
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services import repository
from services.logic import geo, places
from services.logic.place_kinds import KINDS
from services.models import OriginOut, PlaceRecord
from shared.dates import PARIS

# ----------------------------------------------------------------------------- distances


def test_haversine_matches_known_distances():
    paris, lyon = (48.8566, 2.3522), (45.7640, 4.8357)
    assert geo.haversine_m(*paris, *lyon) == pytest.approx(391_500, rel=0.005)
    assert geo.haversine_m(*paris, *paris) == 0
    # One degree of latitude is about 111.2 km anywhere.
    assert geo.haversine_m(45, 3, 46, 3) == pytest.approx(111_195, rel=0.001)


def _brute_distance_to_cell(lat, lon, c: geo.Cell, steps=400) -> float:
    """The distance to a cell, by walking its edges finely (the slow, obvious way)."""
    if c.min_lat <= lat <= c.max_lat and c.min_lon <= lon <= c.max_lon:
        return 0.0
    best = math.inf
    for i in range(steps + 1):
        t = i / steps
        la = c.min_lat + t * (c.max_lat - c.min_lat)
        lo = c.min_lon + t * (c.max_lon - c.min_lon)
        for point in ((la, c.min_lon), (la, c.max_lon), (c.min_lat, lo), (c.max_lat, lo)):
            best = min(best, geo.haversine_m(lat, lon, *point))
    return best


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(41, 51.5), lon=st.floats(-5.5, 10),
       target=st.sampled_from(["u09t", "u05k", "spv0", "gbqu", "u0ts", "ezzz", "sp3e"]))
def test_the_distance_to_a_cell_is_never_more_than_the_true_one(lat, lon, target):
    """Exact on the sphere: never more than the distance to the cell's nearest edge point
    (so no place in range is missed), and hardly less (so no cell is read for nothing)."""
    c = geo.cell(target)
    computed = geo.distance_to_cell_m(lat, lon, c)
    walked = _brute_distance_to_cell(lat, lon, c)
    assert computed <= walked + 0.5
    assert computed >= walked - 60  # the walk's step along a 40 km edge


@settings(max_examples=150, deadline=None)
@given(lat=st.floats(42, 51), lon=st.floats(-4.5, 8.5), radius_km=st.integers(1, 50),
       bearing=st.floats(0, 2 * math.pi), fraction=st.floats(0, 0.999))
def test_the_cover_holds_every_point_within_the_radius(lat, lon, radius_km, bearing,
                                                        fraction):
    radius = radius_km * 1000
    distance = radius * fraction
    plat = lat + math.degrees(distance / geo.EARTH_RADIUS_M) * math.cos(bearing)
    plon = lon + math.degrees(distance / geo.EARTH_RADIUS_M) * math.sin(bearing) / math.cos(
        math.radians(lat))
    if geo.haversine_m(lat, lon, plat, plon) > radius:
        return
    cells = {c.geohash for _, c in geo.cover(lat, lon, radius)}
    assert geo.encode(plat, plon, geo.CELL_PRECISION) in cells


def test_the_cover_is_nearest_first_small_and_stays_in_france():
    cells = geo.cover(45.76, 4.84, 50_000)
    distances = [d for d, _ in cells]
    assert distances == sorted(distances) and distances[0] == 0
    assert 20 <= len(cells) <= 40  # a 50 km radius: about thirty cells, one BatchGetItem
    assert all(d <= 50_000 for d in distances)
    assert len(geo.cover(45.76, 4.84, 1000)) <= 4
    assert geo.cover(0, 0, 50_000) == []
    assert geo.cover(89.9, 0, 50_000) == []


# ----------------------------------------------------------------------------- search


def _places(n: int, seed: int) -> list[PlaceRecord]:
    rng = random.Random(seed)
    kinds = list(KINDS)
    towns = [(45.76, 4.84), (45.19, 5.72), (45.44, 4.39), (46.2, 5.22), (45.9, 6.12)]
    out = []
    for i in range(n):
        lat, lon = rng.choice(towns)
        lat += rng.gauss(0, 0.25)
        lon += rng.gauss(0, 0.35)
        kind = rng.choice(kinds)
        out.append(PlaceRecord(
            id=f"{geo.encode(lat, lon, 9)}{KINDS[kind].letter}{i}", kind=kind, name=f"P{i}",
            street="1 rue de la Paix", postcode="69003", town="Lyon", lat=round(lat, 5),
            lon=round(lon, 5), phone="04 65 71 00 00"))
    return out


class Cells:
    """The places table's cells in memory, counting the batch reads."""

    def __init__(self, records: list[PlaceRecord]) -> None:
        self.cells: dict[tuple[str, str], list[PlaceRecord]] = {}
        for r in records:
            self.cells.setdefault((r.id[:geo.CELL_PRECISION], r.kind), []).append(r)
        self.calls: list[int] = []

    def __call__(self, keys):
        assert len(keys) <= repository.BATCH_KEYS
        self.calls.append(len(keys))
        return {k: self.cells[k] for k in keys if k in self.cells}


@pytest.fixture(scope="module")
def dataset():
    return _places(4000, seed=7)


def brute_force(records, lat, lon, kinds, radius_m, limit):
    found = [(geo.haversine_m(lat, lon, r.lat, r.lon), r) for r in records
             if r.kind in kinds]
    found = sorted(((d, r) for d, r in found if d <= radius_m), key=lambda p: (p[0], p[1].id))
    return found[:limit], len(found)


@pytest.mark.parametrize("case", range(40))
def test_the_search_finds_what_a_brute_force_search_finds(monkeypatch, dataset, case):
    rng = random.Random(case)
    lat, lon = rng.uniform(44.8, 46.6), rng.uniform(3.8, 6.8)
    kinds = [rng.choice(list(KINDS))] if case % 3 else list(KINDS)
    radius_m, limit = rng.choice([2, 5, 10, 20, 35, 50]) * 1000, rng.choice([1, 5, 20, 50])
    cells = Cells(dataset)
    monkeypatch.setattr(repository, "place_cells", cells)
    origin = OriginOut(label="x", lat=lat, lon=lon, approximate=False)
    found, total, exhaustive = places.nearest(origin, kinds, radius_m, limit)
    expected, expected_total = brute_force(dataset, lat, lon, kinds, radius_m, limit)
    assert [r.id for _, r in found] == [r.id for _, r in expected]
    assert [d for d, _ in found] == [d for d, _ in expected]
    assert (total == expected_total) if exhaustive else (total <= expected_total)
    # A bounded number of reads, whatever the dataset: one per hundred keys at most.
    keys = len(geo.cover(lat, lon, radius_m)) * len(kinds)
    assert len(cells.calls) <= math.ceil(keys / repository.BATCH_KEYS)
    if len(kinds) == 1:
        assert len(cells.calls) == 1


def test_every_kind_at_once_stops_reading_when_the_nearest_are_known(monkeypatch, dataset):
    """Around Lyon, twenty places are found in the first hundred keys: the far cells are never
    read, and the places found are still exactly the nearest twenty."""
    cells = Cells(dataset)
    monkeypatch.setattr(repository, "place_cells", cells)
    origin = OriginOut(label="Lyon", lat=45.76, lon=4.84, approximate=False)
    found, total, exhaustive = places.nearest(origin, list(KINDS), 50_000, 20)
    assert len(cells.calls) < math.ceil(len(geo.cover(45.76, 4.84, 50_000)) * len(KINDS) / 100)
    assert not exhaustive and total >= 20
    expected, _ = brute_force(dataset, 45.76, 4.84, set(KINDS), 50_000, 20)
    assert [r.id for _, r in found] == [r.id for _, r in expected]


@pytest.mark.parametrize(("metres", "label"), [(4, "10 m"), (354, "350 m"), (999, "1000 m"),
                                               (1000, "1,0 km"), (1249, "1,2 km"),
                                               (9960, "10,0 km"), (14_400, "14 km")])
def test_distances_are_said_the_french_way(metres, label):
    assert places.distance_label(metres) == label


# ----------------------------------------------------------------------------- agencies' days


def _agency(hours="week", postcode="69003"):
    return PlaceRecord(id="u05kqb8w1a1", kind="agency", name="Agence de Lyon",
                       street="1 rue", postcode=postcode, town="Lyon", lat=45.76, lon=4.84,
                       phone="04 65 71 00 00", email="a@b.example", hours=hours)


@pytest.mark.parametrize(("moment", "open_now", "label"), [
    (datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), True, "Ouverte jusqu'à 12 h 30"),
    (datetime(2026, 11, 26, 12, 45, tzinfo=PARIS), False,
     "Fermée, ouvre aujourd'hui à 13 h 30"),
    (datetime(2026, 11, 27, 19, 0, tzinfo=PARIS), False, "Fermée, ouvre lundi 30 novembre à 9 h"),
    (datetime(2026, 11, 10, 19, 0, tzinfo=PARIS), False,
     "Fermée, ouvre jeudi 12 novembre à 9 h"),  # 11 November is a public holiday
])
def test_an_agency_says_whether_it_is_open_now_in_paris_time(moment, open_now, label):
    assert places._status(_agency(), moment) == (open_now, label)
