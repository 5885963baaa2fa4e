"""The pages that open without network (the card, the offline page) keep every file they load,
the theme's search worker and the language files it imports by itself too: without them, an
offline page failed in its worker (« importScripts … lunr.fr.min.js failed to load »)."""

from __future__ import annotations

import json
import re

from tests.unit.test_site_weight import SITE, site


def kept_files() -> list[str]:
    site()
    text = (SITE / "sw.js").read_text("utf-8")
    return json.loads(re.search(r"^const FILES = (.*);$", text, re.M).group(1))


def test_the_search_worker_and_its_french_files_are_kept_for_offline_pages():
    files = kept_files()
    pattern = r"assets/javascripts/workers/search\.\w+\.min\.js"
    worker = next(f for f in files if re.fullmatch(pattern, f))
    assert (SITE / worker).is_file()
    for name in ("lunr.stemmer.support.min.js", "lunr.fr.min.js"):
        assert f"assets/javascripts/lunr/min/{name}" in files, name
        assert (SITE / "assets/javascripts/lunr/min" / name).is_file()


def test_every_kept_file_is_built():
    assert all((SITE / f).is_file() for f in kept_files())
