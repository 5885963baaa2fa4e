"""Brand hook: validates `extra.brand` and fills `{{ brand.<key> }}` placeholders in pages.

The brand (name, short name, tagline, primary colour) lives in one place, `extra.brand` in
mkdocs.yml. Templates read it from the context; markdown pages use placeholders such as
`{{ brand.name }}`, replaced here before the markdown is rendered.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

REQUIRED_KEYS = ("name", "short_name", "tagline", "primary_color")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PLACEHOLDER = re.compile(r"\{\{\s*brand\.([a-z_]+)\s*\}\}")


def on_config(config, **kwargs):
    brand = (config.extra or {}).get("brand")
    if not isinstance(brand, dict):
        raise PluginError("extra.brand is missing from mkdocs.yml")
    missing = [key for key in REQUIRED_KEYS if not brand.get(key)]
    if missing:
        raise PluginError(f"extra.brand lacks: {', '.join(missing)}")
    if not HEX_COLOUR.match(str(brand["primary_color"])):
        raise PluginError("extra.brand.primary_color must be a #rrggbb colour")
    return config


def on_page_markdown(markdown, page, config, **kwargs):
    brand = config.extra["brand"]

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in brand:
            raise PluginError(f"{page.file.src_path}: unknown placeholder brand.{key}")
        return str(brand[key])

    return PLACEHOLDER.sub(replace, markdown)
