"""Guarantees hook: the public comparison of the formulas, generated at build time from the
reimbursement engine itself (`engine.guarantees.comparison`), the data that also answers
`GET /contract/guarantees`, computes estimates and pays claims: the page cannot disagree with
them.

A page holding the marker `<div data-guarantees-comparison></div>` gets, in its place: each
formula with its description, then one table per category (a row per guarantee, a column per
formula) with what the formula pays and its example in euros as the engine computes it. Every
text from the data is escaped.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<div data-guarantees-comparison></div>"
COMPARISON_PAGE = "garanties/index.md"


def _engine():
    """The engine's comparison and the date in Paris (functions/ on the path, as Lambda has it)."""
    functions = str(ROOT / "functions")
    if functions not in sys.path:
        sys.path.insert(0, functions)
    from engine.guarantees import CATEGORIES, comparison
    from shared import clock
    from shared.dates import fr_date_long
    from shared.money import format_eur

    return comparison, CATEGORIES, clock.today, fr_date_long, format_eur


def _cell(formula, line, format_eur) -> str:
    name = escape(formula.formula_label)
    head = f'<span class="ea-compare__formula" aria-hidden="true">{name}</span>'
    if line is None:
        return (f'<td role="cell" data-formula="{escape(formula.formula_id)}">{head}'
                '<p class="ea-compare__cover">Non couvert par cette formule</p></td>')
    figures = ""
    if line.example:
        example = line.example
        figures = (
            '<p class="ea-compare__figures">'
            f'<span>Mutuelle <strong data-figure="mutual">{format_eur(example.mutual_cents)}'
            "</strong></span> "
            f'<span>Reste à charge <strong data-figure="out-of-pocket">'
            f"{format_eur(example.out_of_pocket_cents)}</strong></span></p>")
        if example.cap:
            figures += f'<p class="ea-compare__cap" data-cap>{escape(example.cap)}</p>'

    return (f'<td role="cell" data-formula="{escape(formula.formula_id)}">{head}'
            f'<p class="ea-compare__cover">{escape(line.cover)}</p>{figures}</td>')


def _row_header(line, format_eur) -> str:
    example = ""
    if line.example:
        example = (f'<span class="ea-compare__example">Exemple : {escape(line.example.care)}, '
                   f"dont {format_eur(line.example.social_security_cents)} remboursés par la "
                   "Sécurité sociale</span>")
    return (f'<th scope="row" role="rowheader"><span class="ea-compare__label">'
            f"{escape(line.label)}</span>{example}</th>")


def render(tables, order, on, fr_date_long, format_eur) -> str:
    """The comparison's HTML, from the engine's tables (one per formula, in their order) and
    the engine's order of categories and lines."""
    rules_on = min((t.rules_date for t in tables), default=on)
    older = (f" Ils reposent sur les règles connues au {fr_date_long(rules_on)}, les plus "
             "récentes dont nous disposons." if rules_on < on else "")
    out = [f'<p class="ea-note" data-guarantees-on="{on.isoformat()}" '
           f'data-rules-on="{rules_on.isoformat()}">Garanties en vigueur au '
           f"{fr_date_long(on)}. Les exemples sont calculés par notre moteur de remboursement, "
           "celui qui traite vos remboursements, pour un adulte qui consulte dans le parcours "
           f"de soins chez un professionnel conventionné, sans autre soin dans l'année.{older}</p>",
           '<ul class="ea-formulas">']
    for table in tables:
        out.append(f'<li class="ea-formula" data-formula="{escape(table.formula_id)}">'
                   f'<h2 class="ea-formula__name">{escape(table.formula_label)}</h2>'
                   f"<p>{escape(table.description)}</p></li>")
    out.append("</ul>")

    # Every category and line of any formula (a formula may lack some), in the engine's order.
    seen: dict[tuple[str, str], object] = {}
    for table in tables:
        for category in table.categories:
            for line in category.lines:
                seen.setdefault((category.key, line.key), line)
    categories: dict[str, str] = {}
    lines: dict[str, dict[str, object]] = {}  # category -> line key -> its line
    for category_key, label, keys in order:
        found = {key: seen[category_key, key] for key in keys if (category_key, key) in seen}
        if found:
            categories[category_key], lines[category_key] = label, found

    out.append('<nav aria-label="Catégories de soins"><ul class="ea-chips">')
    out += [f'<li><a href="#garanties-{escape(key)}">{escape(label)}</a></li>'
            for key, label in categories.items()]
    out.append("</ul></nav>")

    for key, label in categories.items():
        found = {table.formula_id: {line.key: line for c in table.categories if c.key == key
                                    for line in c.lines} for table in tables}
        heads = "".join(f'<th scope="col" role="columnheader">{escape(t.formula_label)}</th>'
                        for t in tables)
        rows = []
        for line_key, line in lines[key].items():
            cells = "".join(_cell(t, found[t.formula_id].get(line_key), format_eur)
                            for t in tables)
            rows.append(f'<tr role="row" data-line="{escape(line_key)}">'
                        f"{_row_header(line, format_eur)}{cells}</tr>")
        out.append(
            f'<section class="ea-compare" aria-labelledby="garanties-{escape(key)}">'
            f'<h2 id="garanties-{escape(key)}">{escape(label)}</h2>'
            f'<table class="ea-compare__table" role="table" data-category="{escape(key)}">'
            f'<caption class="ea-visually-hidden">{escape(label)} : ce que rembourse chaque '
            "formule</caption>"
            f'<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">'
            f"Garantie</th>{heads}</tr></thead>"
            f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></section>')
    return "".join(out)


def on_page_content(html, page, config, files, **kwargs):
    if MARKER not in html:
        if page.file.src_uri == COMPARISON_PAGE:
            raise PluginError(f"{COMPARISON_PAGE}: the marker {MARKER} is missing")
        return html
    comparison, order, today, fr_date_long, format_eur = _engine()
    on = today()
    return html.replace(MARKER, render(comparison(on), order, on, fr_date_long, format_eur), 1)
