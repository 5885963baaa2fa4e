"""Bundle hook: one stylesheet per page, however many files the styles are written in.

`docs/assets/css/app.css` lists its parts with `@import "part.css";` in cascade order. After
the build, each import is replaced by the part's text, so a page makes one request for its
styles and the order written in app.css is the order the browser applies.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

IMPORT = re.compile(r'^@import\s+(?:url\()?"([^"]+)"\)?\s*;\s*$', re.M)
ENTRY = Path("assets") / "css" / "app.css"


def inline_imports(css_file: Path, seen: tuple[Path, ...] = ()) -> str:
    """The text of `css_file` with its local @import lines replaced by the files' text."""
    if css_file in seen:
        raise PluginError(f"{css_file}: @import cycle")

    def replace(match: re.Match[str]) -> str:
        part = (css_file.parent / match.group(1)).resolve()
        if not part.is_file():
            raise PluginError(f"{css_file.name}: imported file {match.group(1)} is missing")
        text = inline_imports(part, (*seen, css_file)).rstrip()
        return f"/* ---- {match.group(1)} ---- */\n{text}\n"

    return IMPORT.sub(replace, css_file.read_text("utf-8"))


def on_post_build(config, **kwargs):
    entry = Path(config.site_dir) / ENTRY
    if not entry.is_file():
        raise PluginError(f"{ENTRY} is missing from the build")
    entry.write_text(inline_imports(entry.resolve()), "utf-8")
