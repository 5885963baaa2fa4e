"""Places figures: DynamoDB calls and time per search at 1k, 10k and 100k places, under moto.

The same searches (origins drawn from real towns with a fixed seed, with a few kilometres of
jitter) run against the places table loaded with 1,000, 10,000 and 100,000 generated places:
- one kind (opticians) within 20 km around a position, the 20 nearest;
- every kind at once within 20 km around a position, the 20 nearest;
- one kind around a postcode (the town lookup first, then the cells).
A search reads whole geohash cells, so its calls stay bounded whatever the size; its time
grows only with the places in the cells it reads (denser cells), not with the table. Each
figure is printed beside the 1k floor (ratio). Times are in process against moto: they
measure our code and moto's, not DynamoDB's latency.

    make bench-places           # or: .venv/bin/python bench/places_bench.py [--searches N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

SIZES = (1_000, 10_000, 100_000)
TABLE = "bench-places"
ENV = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
       "AWS_DEFAULT_REGION": "eu-west-3", "AWS_REGION": "eu-west-3",
       "PLACES_TABLE_NAME": TABLE, "TABLE_NAME": "bench-unused",
       "POWERTOOLS_LOG_LEVEL": "CRITICAL",
       "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_TRACE_DISABLED": "true"}


def origins(count: int) -> list[tuple[float, float, str]]:
    """Positions around real towns (bigger towns likelier, as members are), and a postcode."""
    from infra.places import sources

    towns = [t for t in sources.towns() if t.postcodes and not t.approx]
    rng = random.Random(11)
    weights = [max(t.population, 200) ** 0.5 for t in towns]
    picked = rng.choices(towns, weights=weights, k=count)
    return [(t.lat + rng.uniform(-0.03, 0.03), t.lon + rng.uniform(-0.04, 0.04),
             t.postcodes[0]) for t in picked]


def load(count: int) -> tuple[int, float]:
    """A fresh places table holding `count` places; answers its items and the load time."""
    import boto3

    from infra.local.seed_places import seed_places

    client = boto3.client("dynamodb")
    if TABLE in client.list_tables()["TableNames"]:
        client.delete_table(TableName=TABLE)
    client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                              {"AttributeName": "sk", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                   {"AttributeName": "sk", "KeyType": "RANGE"}])
    started = time.perf_counter()
    loaded = seed_places(TABLE, count=count, table_resource=boto3.resource("dynamodb").Table(
        TABLE))
    return loaded["items"], time.perf_counter() - started


def measure(run, cases) -> dict[str, float]:
    """Calls and seconds of each search, counted on the function's own DynamoDB client."""
    from shared.repository import dynamodb_client

    calls = 0

    def count(**_):
        nonlocal calls
        calls += 1

    events = dynamodb_client().meta.events
    events.register("before-call.dynamodb", count)
    per_calls, per_time, found = [], [], []
    try:
        for case in cases:
            calls = 0
            started = time.perf_counter()
            result = run(case)
            per_time.append(time.perf_counter() - started)
            per_calls.append(calls)
            found.append(len(result.items))
    finally:
        events.unregister("before-call.dynamodb", count)
    per_time.sort()
    return {"calls_mean": statistics.mean(per_calls), "calls_max": max(per_calls),
            "ms_median": statistics.median(per_time) * 1000,
            "ms_p95": per_time[int(len(per_time) * 0.95) - 1] * 1000,
            "found_mean": statistics.mean(found)}


def searches():
    from services.logic import places

    def kind(case):
        lat, lon, _ = case
        return places.search(lat=lat, lon=lon, town=None, postcode=None, kind="optician",
                             radius_km=20, limit=20)

    def every(case):
        lat, lon, _ = case
        return places.search(lat=lat, lon=lon, town=None, postcode=None, kind=None,
                             radius_km=20, limit=20)

    def postcode(case):
        return places.search(lat=None, lon=None, town=None, postcode=case[2],
                             kind="optician", radius_km=20, limit=20)

    return {"one kind, position": kind, "every kind, position": every,
            "one kind, postcode": postcode}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ.update(ENV)
    from moto import mock_aws

    from shared.repository import _resources
    from shared.settings import get_settings

    cases = origins(args.searches)
    rows: dict[tuple[str, int], dict[str, float]] = {}
    with mock_aws():
        get_settings.cache_clear()
        _resources.clear()
        for size in SIZES:
            items, seconds = load(size)
            print(f"{size:>7,} places: {items:,} items loaded in {seconds:.1f} s "
                  "(first run also generates them; cached in build/places/)")
            for name, run in searches().items():
                run(cases[0])  # warm: imports, the town index's first read
                rows[(name, size)] = measure(run, cases)
    print(f"\n{args.searches} searches per line; calls = DynamoDB calls per search; time in "
          "process under moto; ratio = median time / median at 1k")
    print(f"{'search':<22} {'places':>8} {'calls mean':>10} {'max':>4} {'found':>6} "
          f"{'median ms':>10} {'p95 ms':>8} {'ratio':>6}")
    for name in searches():
        floor = rows[(name, SIZES[0])]["ms_median"]
        for size in SIZES:
            r = rows[(name, size)]
            print(f"{name:<22} {size:>8,} {r['calls_mean']:>10.2f} {r['calls_max']:>4} "
                  f"{r['found_mean']:>6.1f} {r['ms_median']:>10.1f} {r['ms_p95']:>8.1f} "
                  f"{r['ms_median'] / floor:>6.2f}")
    worst = max(r["calls_max"] for r in rows.values())
    print(f"\nmost calls for one search, any size: {worst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
