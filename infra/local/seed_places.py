"""The places of « Mes services » in the local stack's places table.

The items are those `python -m infra.places.load` writes on AWS (the same builder). Written
through BatchWriteItem, 6,000 items of up to a few hundred KB take moto ten seconds of request
parsing; the local stack and the tests' moto live in this process, so the items go straight
into moto's table instead (the same items, the same keys: reads go through the API as usual).
"""

from __future__ import annotations

import time
from typing import Any

from infra.places import generate, load


def _moto_table(name: str):
    from moto.dynamodb.models import dynamodb_backends

    for regions in dynamodb_backends.values():
        for backend in regions.values():
            table = backend.tables.get(name)
            if table is not None:
                return table
    return None


def _attribute(value: Any) -> dict[str, str]:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"unexpected attribute value {value!r}")
    return {"N": str(value)} if isinstance(value, int | float) else {"S": value}


def seed_places(table_name: str, *, count: int = generate.LOCAL_COUNT,
                table_resource=None) -> dict[str, Any]:
    """Load the places; answers what was loaded and how long it took."""
    started = time.perf_counter()
    rows = load.dataset(count)
    built = time.perf_counter()
    moto = _moto_table(table_name)
    if moto is not None:
        for item in rows:
            moto.put_item({key: _attribute(value) for key, value in item.items()})
    else:  # a moto in another process: the AWS way
        load.write(table_resource, rows)
    done = time.perf_counter()
    return {"items": len(rows), "places": sum(i.get("count", 0) for i in rows),
            "build_seconds": round(built - started, 2),
            "write_seconds": round(done - built, 2)}
