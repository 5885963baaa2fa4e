"""The JSON Schemas of the portal's events (docs/events/<DetailType>.v<version>.json), made
from their pydantic models (functions/domain/events.py). `make event-schemas` writes them;
tests/unit/test_event_schemas.py fails when a model and its file differ."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from infra.local import template

FOLDER = template.ROOT / "docs" / "events"


def rendered() -> dict[str, str]:
    sys.path.insert(0, str(template.ROOT / "functions"))
    from domain import events

    return {events.schema_name(model): json.dumps(events.json_schema(model), indent=2,
                                                  ensure_ascii=False) + "\n"
            for model in events.ALL}


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in rendered().items():
        (FOLDER / name).write_text(text, encoding="utf-8")
        print(Path("docs/events") / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
