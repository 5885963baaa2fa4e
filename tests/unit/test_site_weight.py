"""What a member page weighs at its first load: every script and stylesheet it loads (its own
and the theme's, the chunks its modules import included), gzipped, ≤ 60 KB. And every one of
those files has a content-hashed name, so it is cached for a year (see infra/deploy_site.py).

Reads the built site (build/site, built here if missing). `make bench` prints the same figures.
"""

from __future__ import annotations

import gzip
import posixpath
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from infra.deploy_site import IMMUTABLE, cache_control, content_type

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"
LIMIT = 60 * 1024  # bytes of gzip, JS and CSS, per member page
MEMBER_PAGES = ("espace/remboursements/", "espace/remboursements/decompte/",
                "espace/estimation/", "espace/estimations/", "espace/estimations/detail/",
                "espace/demande-remboursement/", "espace/releves/", "espace/services/",
                "espace/services/lieu/", "espace/services/teleconsultation/",
                "espace/services/teleconsultation/salle/")

TAG = re.compile(r"<(script|link)\b([^>]*)>", re.I)
ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
MODULE_IMPORT = re.compile(  # minified: import{a as b}from"./chunk.js"; import"./x.js"
    r"""(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+)["']""")
MEMBER = re.compile(r'<meta name="ea-layout" content="member">')


def site() -> Path:
    if not (SITE / "index.html").is_file():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
                       cwd=ROOT / "site", check=True)
    return SITE


def _local(base: str, url: str) -> str | None:
    if url.startswith(("http:", "https:", "//", "data:", "#")):
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    return posixpath.normpath(posixpath.join("/" + base, path)).lstrip("/")


@cache
def _imports(path: str) -> tuple[str, ...]:
    """The modules a built module imports statically (what the browser loads with it)."""
    text = (SITE / path).read_text("utf-8")
    return tuple(p for spec in MODULE_IMPORT.findall(text)
                 if (p := _local(posixpath.dirname(path), spec)))


def page_loads(page: str, root: Path = SITE) -> list[str]:
    """Every script and stylesheet the page at `page` (`espace/releves/`) loads at first."""
    html = (root / page / "index.html").read_text("utf-8")
    loads: list[str] = []
    modules: list[str] = []
    for tag in TAG.finditer(html):
        attrs = {k.lower(): v for k, v in ATTR.findall(tag.group(2))}
        if tag.group(1).lower() == "script":
            url, module = attrs.get("src"), attrs.get("type") == "module"
        elif attrs.get("rel") in ("stylesheet", "modulepreload"):
            url, module = attrs.get("href"), attrs["rel"] == "modulepreload"
        else:
            continue
        path = _local(page.rstrip("/"), url) if url else None
        if path and path not in loads:
            loads.append(path)
            if module:
                modules.append(path)
    while modules:
        for imported in _imports(modules.pop()):
            if imported not in loads:
                loads.append(imported)
                modules.append(imported)
    return loads


def gzip_size(path: str, root: Path = SITE) -> int:
    return len(gzip.compress((root / path).read_bytes(), compresslevel=6, mtime=0))


def member_pages(root: Path = SITE) -> list[str]:
    return sorted(html.parent.relative_to(root).as_posix() + "/"
                  for html in root.rglob("index.html")
                  if MEMBER.search(html.read_text("utf-8")))


def page_weight(page: str, root: Path = SITE) -> int:
    return sum(gzip_size(path, root) for path in page_loads(page, root))


def test_every_member_page_is_weighed():
    assert set(MEMBER_PAGES) <= set(member_pages(site()))


@pytest.mark.parametrize("page", MEMBER_PAGES)
def test_member_page_first_load_is_at_most_60_kb_of_gzip(page):
    site()
    loads = page_loads(page)
    assert any(p.endswith(".css") for p in loads) and any(p.endswith(".js") for p in loads)
    sizes = {path: gzip_size(path) for path in loads}
    total = sum(sizes.values())
    detail = "\n".join(f"  {size / 1024:6.1f} KB  {path}" for path, size in sorted(
        sizes.items(), key=lambda item: -item[1]))
    assert total <= LIMIT, f"{page}: {total / 1024:.1f} KB > {LIMIT / 1024:.0f} KB\n{detail}"


def test_every_script_and_stylesheet_of_every_page_is_content_hashed():
    root = site()
    pages = sorted(h.parent.relative_to(root).as_posix() + "/" for h in root.rglob("index.html"))
    assert "espace/releves/" in pages and "./" in pages
    for page in pages:
        for path in page_loads(page):
            assert (root / path).is_file(), f"{page} loads {path}, which is not built"
            assert cache_control(path, content_type(path)) == IMMUTABLE, (
                f"{page} loads {path}, whose name has no content hash")


def test_the_sources_are_not_shipped():
    root = site()
    assert not (root / "assets/css/app.css").exists()
    assert not (root / "assets/js/lib/session.js").exists()
    assert not (root / "assets/fonts/inter.css").exists()
