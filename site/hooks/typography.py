"""French typography in every page's text (its template's too): a non-breaking space before
« : ; ! ? » and inside guillemets, so that a phone never starts a line with a colon or leaves
a « » » alone. Only text between tags changes: markup, attributes, scripts and code stay as
written. The pages' scripts do the same for what they render (lib/dom.js, frenchSpaces)."""

from __future__ import annotations

import re

NBSP = "\u00a0"
_RAW = re.compile(r"(<(script|style|pre|code|textarea)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_TEXT = re.compile(r">([^<]+)<")
_BEFORE = re.compile(r"(?: |&nbsp;)+([:;!?»]|&raquo;)")
_AFTER = re.compile(r"(«|&laquo;)(?: |&nbsp;)+")


def french_spaces(text: str) -> str:
    return _AFTER.sub(rf"\1{NBSP}", _BEFORE.sub(rf"{NBSP}\1", text))


def fix_html(html: str) -> str:
    parts = _RAW.split(html)
    out = []
    skip = 0
    for part in parts:
        if skip:  # the tag name captured by _RAW's inner group
            skip -= 1
            continue
        if _RAW.fullmatch(part):
            out.append(part)
            skip = 1
            continue
        out.append(_TEXT.sub(lambda m: f">{french_spaces(m.group(1))}<", part))
    return "".join(out)


def on_post_page(output, page, config, **kwargs):
    return fix_html(output)
