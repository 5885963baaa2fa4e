"""The events the portal sends have documented, versioned schemas: the files under
docs/events/ are exactly what the models make (run `make event-schemas` after changing one),
and every event the code can write validates against its model."""

import json

import pytest

from infra.event_schemas import FOLDER, rendered


def test_the_schema_files_are_the_models_schemas():
    expected = rendered()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.glob("*.json")}
    assert set(on_disk) == set(expected), "run `make event-schemas`"
    for name, text in expected.items():
        assert on_disk[name] == text, f"{name} drifted from its model: run `make event-schemas`"


def test_each_schema_names_its_type_and_version():
    from domain import events

    for model in events.ALL:
        schema = json.loads((FOLDER / events.schema_name(model)).read_text(encoding="utf-8"))
        assert schema["x-detail-type"] == model.__name__
        assert schema["x-schema-version"] == model.SCHEMA_VERSION == 1
        assert schema["additionalProperties"] is False


def test_an_event_operation_is_an_outbox_item_of_the_gestion_channel():
    from domain import events

    op = events.AddressChanged(address=events.PostalAddress(
        line1="3 rue des Lilas", postcode="69003", city="Lyon")).operation("2024001871")
    item = op["put"]
    assert item["type"] == "outbox" and item["channel"] == "gestion"
    assert item["pk"] == "MEMBER#2024001871" and item["sk"].startswith("OUTBOX#")
    event = item["event"]
    assert event["detail_type"] == "AddressChanged" and event["schema_version"] == 1
    assert event["detail"] == {"address": {"line1": "3 rue des Lilas", "postcode": "69003",
                                           "city": "Lyon", "country": "France"}}


def test_a_detail_with_an_unknown_field_is_refused():
    from pydantic import ValidationError

    from domain import events

    with pytest.raises(ValidationError):
        events.EmailChanged(email="a@example.fr", extra="x")
