"""Tours hook: the guided tours are data (`site/tours/<id>.yml`), and this hook is their build.

One file per tour: its id (the file's name), title, tutorial section, the page it starts on,
its status (`ready`, or `pending` while its page is being built on another branch) and its
steps. A step targets an element through a stable `data-tour="…"` attribute, says what it is
in French, and applies to the desktop, the phone or both (`viewport`); `before` opens a
`<details>` or clicks a button first (the filters folded on a phone, a menu).

The hook
- loads and checks every tour file (fields, ids, known sections, targets as slugs);
- checks that each step of a ready tour targets an element its page has: in the page's built
  HTML (templates and markdown), or declared by a script the page loads (the page's module
  graph under assets/js, where components write `"data-tour": "name"` in their `h()` props).
  A missing target fails `mkdocs build --strict`, naming the tour, the step and the page;
- renders the tutorial's step lists from the same files (`<!-- visite: id -->` in a page),
  with « Essayer » and the screenshots `make screenshots` takes (a missing screenshot fails
  the build, unless EA_CAPTURES_OPTIONAL=1, which `make screenshots` sets for its own build);
- renders the « Visites guidées » list (`<!-- visites: liste -->`) and the printable tutorial
  (`<!-- tutoriel: complet -->`: every section page one after the other);
- writes `assets/tours/<id>.json` for the tour runner and `assets/tours/index.json`;
- prints the pending tours on every build (they are listed, never silently dropped).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

SECTIONS = {  # the tutorial's sections, in the original tutorial's order: slug -> title
    "remboursements": "Mes remboursements",
    "contrat": "Mon contrat",
    "demandes": "Mes demandes",
    "services": "Mes services",
    "documents": "Mes documents",
    "contact": "Contact & aide",
    "infos-perso": "Mes infos perso",
}
VIEWPORTS = ("desktop", "phone")
VIEWPORT_NAMES = {"desktop": "Sur ordinateur", "phone": "Sur téléphone"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAGE = re.compile(r"^espace/(?:[a-z0-9-]+/)+$")
HTML_TARGET = re.compile(r'\bdata-tour="([^"]+)"')
JS_TARGET = re.compile(r"""["']data-tour["']\s*:\s*["']([a-z0-9-]+)["']""")
JS_IMPORT = re.compile(r"""(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?"""
                       r"""["'](\.{1,2}/[^"']+)["']"""
                       r"""|\bimport\(\s*["'](\.{1,2}/[^"']+)["']\s*\)""")
SCRIPT_SRC = re.compile(r'<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"')
TOUR_MARK = re.compile(r"<!--\s*visite:\s*([a-z0-9-]+)\s*-->")
LIST_MARK = "<!-- visites: liste -->"
PRINT_MARK = "<!-- tutoriel: complet -->"
CAPTURES = "tutoriel/captures"  # under docs_dir, written by `make screenshots`
STEP_KEYS = {"target", "title", "text", "viewport", "before", "side"}
TOUR_KEYS = {"title", "summary", "section", "page", "status", "steps", "welcome", "note"}


@dataclass(frozen=True)
class Step:
    target: str
    title: str
    text: str
    viewports: tuple[str, ...]
    before: dict[str, str] | None = None
    side: str | None = None

    def as_json(self) -> dict:
        out = {"target": self.target, "title": self.title, "text": self.text,
               "viewports": list(self.viewports)}
        if self.before:
            out["before"] = self.before
        if self.side:
            out["side"] = self.side
        return out


@dataclass
class Tour:
    id: str
    title: str
    summary: str
    section: str
    page: str
    status: str
    steps: list[Step] = field(default_factory=list)
    welcome: bool = False
    note: str = ""

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    def steps_for(self, viewport: str) -> list[Step]:
        return [s for s in self.steps if viewport in s.viewports]

    @property
    def differs(self) -> bool:
        """True when the desktop and the phone do not take the same steps."""
        return self.steps_for("desktop") != self.steps_for("phone")

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "page": self.page,
                "steps": [s.as_json() for s in self.steps]}


def _fail(where: str, message: str):
    raise PluginError(f"tours: {where}: {message}")


def _text(data: dict, key: str, where: str, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        _fail(where, f"`{key}` must be a non-empty text")
    return value.strip()


def parse_tour(tour_id: str, data: object) -> Tour:
    """One tour file's content, checked."""
    where = f"{tour_id}.yml"
    if not SLUG.match(tour_id):
        _fail(where, "the file name must be a slug (a-z, 0-9, -)")
    if not isinstance(data, dict):
        _fail(where, "expected a mapping")
    unknown = set(data) - TOUR_KEYS
    if unknown:
        _fail(where, f"unknown keys {sorted(unknown)}")
    section = _text(data, "section", where)
    if section not in SECTIONS:
        _fail(where, f"unknown section {section!r} (one of {', '.join(SECTIONS)})")
    page = _text(data, "page", where)
    if not PAGE.match(page):
        _fail(where, f"`page` must be a member page such as espace/remboursements/ ({page!r})")
    status = data.get("status", "ready")
    if status not in ("ready", "pending"):
        _fail(where, "`status` is `ready` or `pending`")
    steps = []
    for number, raw in enumerate(data.get("steps") or [], start=1):
        at = f"{where} step {number}"
        if not isinstance(raw, dict):
            _fail(at, "expected a mapping")
        unknown = set(raw) - STEP_KEYS
        if unknown:
            _fail(at, f"unknown keys {sorted(unknown)}")
        target = _text(raw, "target", at)
        if not SLUG.match(target):
            _fail(at, f"target {target!r} must be a data-tour slug")
        viewport = raw.get("viewport", "both")
        if viewport not in ("both", *VIEWPORTS):
            _fail(at, "`viewport` is desktop, phone or both")
        before = raw.get("before")
        if before is not None and (not isinstance(before, dict) or len(before) != 1
                                   or next(iter(before)) not in ("open", "click")
                                   or not SLUG.match(str(next(iter(before.values()))))):
            _fail(at, "`before` is {open: <data-tour>} or {click: <data-tour>}")
        side = raw.get("side")
        if side is not None and side not in ("top", "bottom", "left", "right"):
            _fail(at, "`side` is top, bottom, left or right")
        steps.append(Step(target, _text(raw, "title", at), _text(raw, "text", at),
                          VIEWPORTS if viewport == "both" else (viewport,), before, side))
    tour = Tour(tour_id, _text(data, "title", where), _text(data, "summary", where), section,
                page, status, steps, bool(data.get("welcome", False)),
                _text(data, "note", where, required=False))
    if tour.ready:
        for viewport in VIEWPORTS:
            if not tour.steps_for(viewport):
                _fail(where, f"a ready tour needs steps on the {viewport}")
    return tour


def load_tours(folder: Path) -> dict[str, Tour]:
    tours = {}
    for file in sorted(folder.glob("*.yml")):
        try:
            data = yaml.safe_load(file.read_text("utf-8"))
        except yaml.YAMLError as exc:
            raise PluginError(f"tours: {file.name}: {exc}") from exc
        tours[file.stem] = parse_tour(file.stem, data)
    if not tours:
        raise PluginError(f"tours: no tour file in {folder}")
    welcome = [t.id for t in tours.values() if t.welcome]
    if len(welcome) != 1 or not tours[welcome[0]].ready:
        raise PluginError(f"tours: exactly one ready tour is the welcome tour, found {welcome}")
    return tours


# --------------------------------------------------------------------------- target check

def module_graph(entries: list[str], js_root: Path) -> list[Path]:
    """The source files of `entries` (paths under assets/js) and every module they import,
    statically or dynamically."""
    todo = [js_root / e for e in entries]
    seen: list[Path] = []
    while todo:
        file = todo.pop().resolve()
        if file in seen or not file.is_file():
            continue
        seen.append(file)
        for static, dynamic in JS_IMPORT.findall(file.read_text("utf-8")):
            todo.append(file.parent / (static or dynamic))
    return seen


def page_targets(html: str, js_root: Path, page_url: str) -> set[str]:
    """The data-tour names a page has: in its HTML, and declared by the scripts it loads."""
    targets = set(HTML_TARGET.findall(html))
    entries = []
    for src in SCRIPT_SRC.findall(html):
        path = posixpath.normpath(posixpath.join("/" + page_url, src)).lstrip("/")
        if path.startswith("assets/js/"):
            entries.append(path.removeprefix("assets/js/"))
    for file in module_graph(entries, js_root):
        targets.update(JS_TARGET.findall(file.read_text("utf-8")))
    return targets


def check_targets(tours: dict[str, Tour], pages: dict[str, str], js_root: Path) -> None:
    """Fails when a ready tour's page is not built or lacks a step's target."""
    problems = []
    for tour in tours.values():
        if not tour.ready:
            continue
        if tour.page not in pages:
            problems.append(f"{tour.id}.yml: its page {tour.page} is not in the site")
            continue
        found = page_targets(pages[tour.page], js_root, tour.page)
        for number, step in enumerate(tour.steps, start=1):
            for target in [step.target, *(step.before or {}).values()]:
                if target not in found:
                    problems.append(f'{tour.id}.yml step {number}: no data-tour="{target}" '
                                    f"on {tour.page} (its HTML or the scripts it loads)")
    if problems:
        raise PluginError("tours: missing targets:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------- rendering

def _steps_md(steps: list[Step]) -> str:
    return "\n".join(f"{n}. **{s.title}** — {s.text}" for n, s in enumerate(steps, start=1))


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (its IHDR chunk comes first)."""
    with path.open("rb") as png:
        head = png.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise PluginError(f"tours: {path.name} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def capture_path(tour_id: str, viewport: str) -> str:
    return f"{CAPTURES}/{tour_id}-{viewport}.png"


def _capture_md(tour: Tour, viewport: str, page_url: str, docs_dir: Path,
                optional: bool) -> str:
    path = capture_path(tour.id, viewport)
    if not (docs_dir / path).is_file():
        if optional:
            return ""
        raise PluginError(f"tours: screenshot {path} is missing: run `make screenshots`")
    src = get_relative_url(path, page_url)
    alt = f"La page « {tour.title} » {VIEWPORT_NAMES[viewport].lower()}"
    width, height = png_size(docs_dir / path)
    # Its size in the page before it loads: a lazy image arriving later moves nothing.
    return (f'<figure class="ea-capture ea-capture--{viewport}">'
            f'<img src="{src}" alt="{alt}" width="{width}" height="{height}" loading="lazy">'
            f"<figcaption>{VIEWPORT_NAMES[viewport]}</figcaption></figure>")


def try_url(tour: Tour, page_url: str) -> str:
    return get_relative_url(tour.page, page_url) + f"?visite={tour.id}"


def render_tour(tour: Tour, page_url: str, docs_dir: Path, optional_captures: bool) -> str:
    """A tour as the tutorial shows it: its steps (per viewport where they differ), its
    screenshots and « Essayer »."""
    parts = [f'<div class="ea-tour-block" data-tour-block="{tour.id}" markdown>', "",
             tour.summary, ""]
    captures = {v: _capture_md(tour, v, page_url, docs_dir, optional_captures or not tour.ready)
                if tour.ready else "" for v in VIEWPORTS}
    if tour.differs:
        for viewport in VIEWPORTS:
            body = _steps_md(tour.steps_for(viewport))
            if captures[viewport]:
                body += "\n\n" + captures[viewport]
            parts += [f'=== "{VIEWPORT_NAMES[viewport]}"', "", _indent(body), ""]
    else:
        parts += [_steps_md(tour.steps), ""]
        shots = "".join(captures.values())
        if shots:
            parts += [f'<div class="ea-captures">{shots}</div>', ""]
    if tour.note:
        parts += [tour.note, ""]
    if tour.ready:
        parts += [f'<p class="ea-try"><a class="ea-button ea-button--primary" '
                  f'href="{try_url(tour, page_url)}" data-essayer="{tour.id}">'
                  f'Essayer<span class="ea-visually-hidden"> : {tour.title}</span></a></p>', ""]
    else:
        parts += ['<p class="ea-tour-pending">La visite guidée de cette démarche arrive '
                  "bientôt dans votre espace.</p>", ""]
    parts += ["</div>", ""]
    return "\n".join(parts)


def render_list(tours: dict[str, Tour], page_url: str) -> str:
    """The « Visites guidées » list of Contact & aide: every ready tour, by section."""
    items = []
    for section in SECTIONS:
        for tour in tours.values():
            if tour.ready and tour.section == section:
                items.append(f'<li><a href="{try_url(tour, page_url)}" '
                             f'data-visite="{tour.id}">{tour.title}</a></li>')
    return '<ul class="ea-tours-list" data-tour="tours-list">' + "".join(items) + "</ul>"


FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def render_print(docs_dir: Path, page_url: str) -> str:
    """Every section page one after the other, each starting a printed page."""
    parts = []
    for slug, title in SECTIONS.items():
        source = docs_dir / "tutoriel" / slug / "index.md"
        if not source.is_file():
            raise PluginError(f"tours: tutoriel/{slug}/index.md is missing")
        body = FRONT_MATTER.sub("", source.read_text("utf-8"), count=1)
        body = re.sub(r"^(#{1,5}) ", r"#\1 ", body, flags=re.M)  # one level down
        body = re.sub(r"^#{2} .*$", "", body, count=1, flags=re.M)  # the page's own title
        parts += [f'<section class="ea-print-section" data-section="{slug}" markdown>', "",
                  f"## {title}", "", body.strip(), "", "</section>", ""]
    return "\n".join(parts)


# --------------------------------------------------------------------------- mkdocs events

_state: dict = {}


def _docs(config) -> Path:
    return Path(config["docs_dir"]).resolve()


def on_config(config, **kwargs):
    folder = Path(config.config_file_path).resolve().parent / "tours"
    _state.clear()
    _state["tours"] = load_tours(folder)
    _state["pages"] = {}
    return config


def on_page_markdown(markdown, page, config, **kwargs):
    tours: dict[str, Tour] = _state["tours"]
    docs = _docs(config)
    optional = os.environ.get("EA_CAPTURES_OPTIONAL") == "1"
    if PRINT_MARK in markdown:
        markdown = markdown.replace(PRINT_MARK, render_print(docs, page.url))
    if LIST_MARK in markdown:
        markdown = markdown.replace(LIST_MARK, render_list(tours, page.url))

    def tour_block(match: re.Match[str]) -> str:
        tour = tours.get(match.group(1))
        if tour is None:
            raise PluginError(f"tours: {page.file.src_path} names an unknown tour "
                              f"{match.group(1)!r}")
        return render_tour(tour, page.url, docs, optional)

    return TOUR_MARK.sub(tour_block, markdown)


def on_post_page(output, page, config, **kwargs):
    _state["pages"][page.url] = output
    return output


def on_post_build(config, **kwargs):
    tours: dict[str, Tour] = _state["tours"]
    check_targets(tours, _state["pages"], _docs(config) / "assets" / "js")
    out = Path(config["site_dir"]) / "assets" / "tours"
    out.mkdir(parents=True, exist_ok=True)
    index = []
    for tour in tours.values():
        if tour.ready:
            (out / f"{tour.id}.json").write_text(
                json.dumps(tour.as_json(), ensure_ascii=False), "utf-8")
            index.append({"id": tour.id, "title": tour.title, "page": tour.page,
                          "section": tour.section, "welcome": tour.welcome})
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False), "utf-8")
    pending = [t for t in tours.values() if not t.ready]
    # Printed, not logged: `mkdocs build --quiet` must still say which tours wait for a page.
    print(f"tours: {len(index)} ready, {len(pending)} pending"
          + "".join(f"\n  pending: {t.id} ({t.page})" for t in pending), file=sys.stderr)
