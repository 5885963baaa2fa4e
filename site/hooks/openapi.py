"""Build hook: writes the API's OpenAPI document, generated from the functions' code, as
`openapi.json` at the root of the built site (not under /api/, which is the API itself)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def on_post_build(config, **kwargs):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from infra.openapi import build

    target = Path(config["site_dir"]) / "openapi.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(build(), ensure_ascii=False, indent=1), encoding="utf-8")
