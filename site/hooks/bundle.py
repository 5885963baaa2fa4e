"""Bundle hook: one stylesheet per page, and checked, preloaded ES modules.

- `docs/assets/css/app.css` lists its parts with `@import "part.css";` in cascade order. After
  the build, each import is replaced by the part's text, so a page makes one request for its
  styles and the order written in app.css is the order the browser applies.
- Every `<script type="module">` of a page must exist, and so must every module it imports,
  and every name it imports from them: a typo fails the build instead of a page. The page
  then lists its whole module graph as `<link rel="modulepreload">`, so the browser fetches
  it at once rather than one level of imports after another.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

IMPORT = re.compile(r'^@import\s+(?:url\()?"([^"]+)"\)?\s*;\s*$', re.M)
ENTRY = Path("assets") / "css" / "app.css"

MODULE_SCRIPT = re.compile(r'<script type="module" src="([^"]+)"></script>')
STATIC_IMPORT = re.compile(
    r'^\s*(?:import|export)\s+(?:([\w*{}\s,]+?)\s+from\s+)?"(\.{1,2}/[^"]+)"\s*;', re.M)
EXPORTED = re.compile(
    r"^export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)", re.M)
EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\}", re.M)


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


def _names(clause: str | None) -> set[str]:
    """Names an import clause takes: `{ a, b as c }` -> {a, b}; default or `* as x` -> {}."""
    if not clause or "{" not in clause:
        return set()
    inside = clause[clause.index("{") + 1:clause.index("}")]
    return {part.split(" as ")[0].strip() for part in inside.split(",") if part.strip()}


@cache
def _module(path: Path) -> tuple[frozenset[str], tuple[tuple[Path, frozenset[str]], ...]]:
    """(names it exports, its static imports as (file, names))."""
    text = path.read_text("utf-8")
    exports = set(EXPORTED.findall(text))
    for group in EXPORT_LIST.findall(text):
        exports |= {part.split(" as ")[-1].strip() for part in group.split(",") if part.strip()}
    imports = tuple(((path.parent / spec).resolve(), frozenset(_names(clause)))
                    for clause, spec in STATIC_IMPORT.findall(text))
    return frozenset(exports), imports


def _graph(entry: Path, docs_dir: Path) -> list[Path]:
    """Every module `entry` imports, directly or not; checks files and imported names."""
    seen: list[Path] = []
    todo = [entry]
    while todo:
        current = todo.pop()
        for target, names in _module(current)[1]:
            where = current.relative_to(docs_dir)
            if not target.is_file():
                raise PluginError(f"{where}: imports {target.name}, which does not exist")
            missing = names - _module(target)[0]
            if missing:
                raise PluginError(f"{where}: {target.relative_to(docs_dir)} does not export "
                                  f"{', '.join(sorted(missing))}")
            if target not in seen and target != entry:
                seen.append(target)
                todo.append(target)
    return seen


def on_post_page(output, page, config, **kwargs):
    docs_dir = Path(config.docs_dir).resolve()
    page_dir = "/" + page.url
    entries, preload = [], []
    for src in MODULE_SCRIPT.findall(output):
        site_path = posixpath.normpath(posixpath.join(page_dir, src))
        entry = (docs_dir / site_path.lstrip("/")).resolve()
        if not entry.is_file():
            raise PluginError(f"{page.file.src_path}: script {site_path} does not exist")
        entries.append(entry)
    for entry in entries:
        for module in _graph(entry, docs_dir):
            if module not in entries and module not in preload:
                preload.append(module)
    if not preload:
        return output
    links = "".join(
        f'<link rel="modulepreload" href="'
        f'{get_relative_url(module.relative_to(docs_dir).as_posix(), page.url)}">'
        for module in preload)
    return output.replace("</head>", f"{links}</head>", 1)


def on_post_build(config, **kwargs):
    _module.cache_clear()
    entry = Path(config.site_dir) / ENTRY
    if not entry.is_file():
        raise PluginError(f"{ENTRY} is missing from the build")
    entry.write_text(inline_imports(entry.resolve()), "utf-8")
