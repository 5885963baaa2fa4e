"""The tours' build check (site/hooks/tours.py): a tour whose step targets an element its page
does not have fails the build, naming the tour, the step and the page; targets rendered by a
page's scripts count; pending tours are not checked but listed; the tour files themselves are
checked (one welcome tour, known sections, steps on both viewports)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "site"))
from hooks.tours import check_targets, load_tours, page_targets, parse_tour  # noqa: E402

PAGE = "espace/exemple/"


def tour(status="ready", targets=("menu-exemple", "exemple-liste"), before=None):
    steps = [{"target": t, "title": f"Titre {t}", "text": "Texte."} for t in targets]
    if before:
        steps[-1]["before"] = before
    return parse_tour("exemple", {"title": "Exemple", "summary": "Résumé.",
                                  "section": "remboursements", "page": PAGE,
                                  "status": status, "steps": steps})


@pytest.fixture
def js_root(tmp_path):
    root = tmp_path / "js"
    (root / "pages").mkdir(parents=True)
    (root / "components").mkdir()
    (root / "pages" / "exemple.js").write_text(
        'import { list } from "../components/list.js";\nlist();\n', "utf-8")
    (root / "components" / "list.js").write_text(
        'export const list = () => h("ul", { "data-tour": "exemple-liste" });\n', "utf-8")
    return root


HTML = ('<nav><a data-tour="menu-exemple" href="#">Exemple</a></nav>'
        '<script type="module" src="../../assets/js/pages/exemple.js"></script>')


def test_a_target_in_the_html_or_in_a_script_the_page_loads_passes(js_root):
    assert page_targets(HTML, js_root, PAGE) >= {"menu-exemple", "exemple-liste"}
    check_targets({"exemple": tour()}, {PAGE: HTML}, js_root)


def test_a_missing_target_fails_the_build_naming_tour_step_and_page(js_root):
    with pytest.raises(PluginError) as failure:
        check_targets({"exemple": tour(targets=("menu-exemple", "bouton-disparu"))},
                      {PAGE: HTML}, js_root)
    message = str(failure.value)
    assert 'exemple.yml step 2: no data-tour="bouton-disparu" on espace/exemple/' in message


def test_a_missing_target_of_a_step_preparation_fails_too(js_root):
    with pytest.raises(PluginError, match='no data-tour="filtres-replies"'):
        check_targets({"exemple": tour(before={"open": "filtres-replies"})}, {PAGE: HTML},
                      js_root)


def test_a_script_the_page_does_not_load_does_not_count(js_root):
    without_script = '<nav><a data-tour="menu-exemple" href="#">Exemple</a></nav>'
    with pytest.raises(PluginError, match='no data-tour="exemple-liste"'):
        check_targets({"exemple": tour()}, {PAGE: without_script}, js_root)


def test_a_page_that_is_not_built_fails(js_root):
    with pytest.raises(PluginError, match="its page espace/exemple/ is not in the site"):
        check_targets({"exemple": tour()}, {}, js_root)


def test_a_pending_tour_is_not_checked(js_root):
    check_targets({"exemple": tour(status="pending", targets=("ailleurs",))}, {}, js_root)


@pytest.mark.parametrize("change, message", [
    ({"section": "inconnue"}, "unknown section"),
    ({"page": "/tutoriel/"}, "must be a member page"),
    ({"steps": [{"target": "Pas Un Slug", "title": "T", "text": "T"}]}, "data-tour slug"),
    ({"steps": [{"target": "a", "title": "T", "text": "T", "viewport": "desktop"}]},
     "needs steps on the phone"),
    ({"steps": [{"target": "a", "title": "T", "text": "T", "before": {"hover": "b"}}]},
     "`before` is"),
    ({"couleur": "rouge"}, "unknown keys"),
])
def test_a_malformed_tour_file_fails(change, message):
    data = {"title": "Exemple", "summary": "Résumé.", "section": "remboursements",
            "page": PAGE, "steps": [{"target": "a", "title": "T", "text": "T"}], **change}
    with pytest.raises(PluginError, match=message):
        parse_tour("exemple", data)


def test_the_repository_tours_load_with_one_welcome_tour():
    tours = load_tours(ROOT / "site" / "tours")
    assert [t.id for t in tours.values() if t.welcome] == ["bienvenue"]
    for t in tours.values():
        if t.ready:
            assert t.steps_for("desktop") and t.steps_for("phone"), t.id


def test_a_capture_keeps_its_place_before_it_loads():
    """Defect: the tutorial's lazy screenshots had no size, so each one that loaded while the
    member scrolled moved the « Essayer » buttons below it (a click could land beside)."""
    from hooks.tours import _capture_md, load_tours

    site = Path(__file__).parents[2] / "site"
    docs = site / "docs"
    tour = next(t for t in load_tours(site / "tours").values() if t.ready)
    html = _capture_md(tour, "desktop", "tutoriel/contrat/", docs, optional=False)
    assert re.search(r'<img [^>]*width="\d+" height="\d+"', html), html
