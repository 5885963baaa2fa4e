"""Storage of « Mes services »: the places table (reference data, read by key only) and the
members' teleconsultations. Only this module (and the kernel's table access base beneath it)
touches AWS for the services function."""

from __future__ import annotations

import json

from services.models import PlaceRecord, TeleconsultationItem, TownRecord
from shared.repository import aws_call, dynamodb_client, get_item, query_page, transact
from shared.settings import get_settings

# The places table holds reference data, read by key only (GetItem, BatchGetItem): one item
# per geohash cell and kind, GEO#<geohash 4> / <kind>, lists the places of that kind in the
# cell as JSON rows; TOWNS#<2 letters> and POSTCODES#<department> list the towns a name or a
# postcode starts with. Teleconsultations live in the member's partition, TELE#<id>.
BATCH_KEYS = 100  # BatchGetItem's limit


def _places_name() -> str:
    return get_settings().places_table_name


def cell_key(geohash: str, kind: str) -> dict[str, str]:
    return {"pk": f"GEO#{geohash}", "sk": kind}


def place_cells(keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[PlaceRecord]]:
    """The places of each (cell, kind), in one BatchGetItem call (up to 100 keys; a cell
    with no place of that kind has no item). Items are read as the service sends them: their
    rows are one JSON string, parsed at once."""
    if not keys:
        return {}
    if len(keys) > BATCH_KEYS:
        raise ValueError("at most 100 keys per batch")
    name = _places_name()
    request = {name: {"Keys": [{"pk": {"S": f"GEO#{g}"}, "sk": {"S": k}}
                               for g, k in dict.fromkeys(keys)],
                      "ProjectionExpression": "pk, sk, places"}}
    found: dict[tuple[str, str], list[PlaceRecord]] = {}
    with aws_call():
        while request:
            response = dynamodb_client().batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(name, []):
                geohash, kind = item["pk"]["S"].removeprefix("GEO#"), item["sk"]["S"]
                found[(geohash, kind)] = [PlaceRecord.from_row(kind, row)
                                          for row in json.loads(item["places"]["S"])]
            request = response.get("UnprocessedKeys") or {}
    return found


def _reference_rows(pk: str, sk: str, attribute: str) -> list | None:
    with aws_call():
        response = dynamodb_client().get_item(
            TableName=_places_name(), Key={"pk": {"S": pk}, "sk": {"S": sk}},
            ProjectionExpression=attribute)
    item = response.get("Item")
    return json.loads(item[attribute]["S"]) if item else None


def towns_starting(key: str) -> list[TownRecord]:
    """The towns filed under the first two letters of their name."""
    return [TownRecord.from_row(r) for r in _reference_rows(f"TOWNS#{key}", "TOWNS", "towns")
            or []]


def postcodes_of_department(department: str) -> list[tuple[str, TownRecord]]:
    """(postcode, town) for every postcode starting with these two digits."""
    rows = _reference_rows(f"POSTCODES#{department}", "POSTCODES", "postcodes") or []
    return [(postcode, TownRecord.from_row(town)) for postcode, town in rows]


# What the loader writes (infra/places/load.py): built here, so the reading above and the
# writing agree.
def place_items(places: list[PlaceRecord], *, cell_of) -> list[dict]:
    cells: dict[tuple[str, str], list[PlaceRecord]] = {}
    for place in sorted(places, key=lambda p: p.id):
        cells.setdefault((cell_of(place), place.kind), []).append(place)
    return [{**cell_key(geohash, kind), "type": "place_cell", "count": len(rows),
             "places": json.dumps([p.row() for p in rows], ensure_ascii=False,
                                  separators=(",", ":"))}
            for (geohash, kind), rows in sorted(cells.items())]


def town_items(by_key: dict[str, list[TownRecord]],
               by_department: dict[str, list[tuple[str, TownRecord]]]) -> list[dict]:
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    return [*({"pk": f"TOWNS#{key}", "sk": "TOWNS", "type": "towns",
               "towns": json.dumps([t.row() for t in towns], **compact)}
              for key, towns in sorted(by_key.items())),
            *({"pk": f"POSTCODES#{dept}", "sk": "POSTCODES", "type": "postcodes",
               "postcodes": json.dumps([[p, t.row()] for p, t in rows], **compact)}
              for dept, rows in sorted(by_department.items()))]


def tele_sk(consultation_id: str) -> str:
    return f"TELE#{consultation_id}"


def teleconsultation_to_item(c: TeleconsultationItem) -> dict:
    return {**c.model_dump(mode="json"), "pk": f"MEMBER#{c.member_id}", "sk": tele_sk(c.id),
            "type": "teleconsultation"}


def create_teleconsultation(c: TeleconsultationItem, extra: list[dict]) -> None:
    transact([{"put": teleconsultation_to_item(c)}, *extra])


def teleconsultation(member_id: str, consultation_id: str) -> TeleconsultationItem | None:
    item = get_item(f"MEMBER#{member_id}", tele_sk(consultation_id))
    return TeleconsultationItem.model_validate(item) if item else None


def teleconsultations(member_id: str, *, cursor: str | None,
                      limit: int) -> tuple[list[TeleconsultationItem], str | None]:
    items, nxt = query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="TELE#",
                            cursor=cursor, limit=limit, newest_first=True)
    return [TeleconsultationItem.model_validate(i) for i in items], nxt


def cancel_teleconsultation(c: TeleconsultationItem) -> None:
    """Cancelled, only if it was still booked (a second cancel: 409)."""
    transact([{"update": {"key": {"pk": f"MEMBER#{c.member_id}", "sk": tele_sk(c.id)},
                          "set": {"status": "cancelled", "cancelled_at": c.cancelled_at},
                          "condition": ("status", "booked")}}])
