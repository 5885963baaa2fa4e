"""Write the places into the places table: `python -m infra.places.load <table name>
[--count N] [--region R]` after `sam deploy` (the stack's PlacesTableName output), and the
local stack's seed (infra/local/seed_places.py).

The items are built by the services function's repository (services.repository.place_items,
town_items), so what is written is what the function reads. A load rewrites every item; the
dataset is deterministic, so loading twice changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from infra.places import generate, sources
from services import repository
from services.logic.geo import CELL_PRECISION
from services.logic.towns import keys_of
from services.models import PlaceRecord, TownRecord

MAX_ITEM_BYTES = 380_000  # DynamoDB's limit is 400 KB: a cell fuller than this would not fit


def _record(town: sources.Town) -> TownRecord:
    return TownRecord(name=town.name, postcodes=town.postcodes, lat=town.lat, lon=town.lon,
                      population=town.population, approx=town.approx)


def items(places: list[PlaceRecord], towns: list[sources.Town]) -> list[dict]:
    by_key: dict[str, list[TownRecord]] = defaultdict(list)
    by_department: dict[str, list[tuple[str, TownRecord]]] = defaultdict(list)
    for town in sorted(towns, key=lambda t: (-t.population, t.insee)):
        record = _record(town)
        for key in keys_of(town.name):
            by_key[key].append(record)
        for postcode in town.postcodes:
            by_department[postcode[:2]].append((postcode, record))
    out = repository.place_items(places, cell_of=lambda p: p.id[:CELL_PRECISION])
    out += repository.town_items(by_key, by_department)
    for item in out:
        size = sum(len(str(v).encode()) for v in item.values())
        if size > MAX_ITEM_BYTES:
            raise ValueError(f"{item['pk']} / {item['sk']} would weigh {size} bytes: "
                             "too many places in one cell for one item")
    return out


def _fingerprint(*parts: object) -> str:
    """What the items depend on: the packages read, the parameters, the code making them."""
    digest = hashlib.sha256(repr(parts).encode())
    for module in (generate, sources, repository, sys.modules[__name__],
                   sys.modules[keys_of.__module__], sys.modules[PlaceRecord.__module__]):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def dataset(count: int = generate.LOCAL_COUNT, seed: int = generate.SEED,
            mail_domain: str = "clairval.example") -> list[dict]:
    """The items of `count` generated places and every town, kept in build/places/ (the
    same inputs and code make the same items: only the first seed makes them)."""
    fingerprint = _fingerprint(sources.versions(), count, seed, mail_domain)
    cached = sources.CACHE / f"items-{count}-{fingerprint}.json"
    if cached.is_file():
        return json.loads(cached.read_text("utf-8"))
    towns = sources.towns()
    rows = items(generate.generate(towns, count, seed, mail_domain), towns)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    partial.replace(cached)
    return rows


def write(table, rows: list[dict]) -> None:
    """Write through a boto3 Table resource (25 items per BatchWriteItem, retries included)."""
    with table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        for item in rows:
            batch.put_item(Item=item)


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("table")
    parser.add_argument("--count", type=int, default=generate.LOCAL_COUNT)
    parser.add_argument("--region", default=None)
    parser.add_argument("--mail-domain", default="clairval.example")
    args = parser.parse_args(argv)
    rows = dataset(args.count, mail_domain=args.mail_domain)
    write(boto3.resource("dynamodb", region_name=args.region).Table(args.table), rows)
    print(f"{len(rows)} items written to {args.table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
