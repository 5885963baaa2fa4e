"""Statement (relevé de prestations) rendering: CSV for spreadsheets, PDF for reading/printing.

Pure functions: models in, bytes out. `fpdf` is imported lazily inside `render_pdf` so that
Lambdas which only need the models or the CSV do not pay its import cost on cold start.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from shared.money import format_eur

Cents = Annotated[int, Field(ge=0)]

# Bundled DejaVu Sans (licence in fonts/LICENSE): fpdf2's core fonts are latin-1 only and
# cannot draw "€" nor the narrow no-break space of French amounts; no installed PyPI
# package ships a usable text font, and Lambda has no system fonts.
_FONTS_DIR = Path(__file__).resolve().parent / "fonts"

NO_LINES_SENTENCE = "Aucune prestation sur cette période."
LEGAL_LINE = "Document établi à titre informatif"

CSV_HEADERS = (
    "Date des soins",
    "Bénéficiaire",
    "Acte",
    "Code",
    "Professionnel de santé",
    "Frais réels (€)",
    "Base SS (€)",
    "Part Sécurité sociale (€)",
    "Participation forfaitaire et franchises (€)",
    "Part mutuelle (€)",
    "Reste à charge (€)",
    "Date de paiement",
    "Compte crédité",
)

# The six amount fields, in display order (same order in CSV and PDF).
_AMOUNT_FIELDS = (
    "real_cost_cents",
    "base_cents",
    "social_security_cents",
    "deductibles_cents",
    "mutual_cents",
    "out_of_pocket_cents",
)



class StatementLine(BaseModel):
    """One reimbursed act."""

    claim_id: str
    care_date: date
    beneficiary_id: str
    beneficiary_name: str
    act_code: str
    act_label: str
    practitioner: str | None = None
    real_cost_cents: Cents
    base_cents: Cents
    social_security_cents: Cents
    deductibles_cents: Cents  # participation forfaitaire + franchises
    mutual_cents: Cents
    out_of_pocket_cents: Cents
    payment_date: date | None = None
    bank_account_masked: str | None = None  # e.g. "FR76 •••• •••• •••• •••• •••• 321"


class Statement(BaseModel):
    brand_name: str
    brand_address: str | None = None
    member_name: str
    member_number: str
    period_start: date
    period_end: date
    generated_on: date
    beneficiary_names: list[str]  # those the statement is filtered on
    lines: list[StatementLine]

    @model_validator(mode="after")
    def _period_is_ordered(self) -> Statement:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


# --------------------------------------------------------------------------- formatting


def _fr_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _csv_amount(cents: int) -> str:
    # No thousands separator: French Excel would read "1 234,56" as text, not a number.
    return f"{cents // 100},{cents % 100:02d}"


def _period_label(statement: Statement) -> str:
    return f"du {_fr_date(statement.period_start)} au {_fr_date(statement.period_end)}"


def _totals(lines: list[StatementLine]) -> list[int]:
    return [sum(getattr(line, f) for line in lines) for f in _AMOUNT_FIELDS]


def _amounts(line: StatementLine) -> list[int]:
    return [getattr(line, f) for f in _AMOUNT_FIELDS]


def statement_filename(statement: Statement, ext: str) -> str:
    """E.g. ``releve-prestations-2026-01-01-au-2026-01-31.pdf``."""
    ext = ext.lstrip(".").lower()
    # The name ends up in a Content-Disposition header: accept nothing but a plain extension.
    if not ext.isascii() or not ext.isalnum():
        raise ValueError(f"invalid file extension: {ext!r}")
    return (
        f"releve-prestations-{statement.period_start.isoformat()}"
        f"-au-{statement.period_end.isoformat()}.{ext}"
    )


# --------------------------------------------------------------------------- CSV

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str | None) -> str:
    """Free text from upstream systems: stop spreadsheets from evaluating it as a formula."""
    if not value:
        return ""
    if value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def render_csv(statement: Statement) -> bytes:
    """UTF-8 with BOM, ';' separators, decimal commas, CRLF: what French Excel opens as is."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    lines = sorted(statement.lines, key=lambda line: (line.care_date, line.beneficiary_name))
    if not lines:
        writer.writerow([NO_LINES_SENTENCE])
    for line in lines:
        writer.writerow(
            [
                _fr_date(line.care_date),
                _csv_text(line.beneficiary_name),
                _csv_text(line.act_label),
                _csv_text(line.act_code),
                _csv_text(line.practitioner),
                *(_csv_amount(a) for a in _amounts(line)),
                _fr_date(line.payment_date) if line.payment_date else "",
                _csv_text(line.bank_account_masked),
            ]
        )
    if lines:
        writer.writerow(["Total", "", "", "", "", *map(_csv_amount, _totals(lines)), "", ""])
    return buf.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- PDF grouping


def _beneficiary_sections(statement: Statement) -> list[tuple[str, list[StatementLine]]]:
    """(title, lines by care date) per beneficiary, in the order of the statement's filter.

    Filtered beneficiaries with no act still get a section (so "nothing for Léo" is explicit),
    unless the whole statement is empty.
    """
    groups: dict[str, list[StatementLine]] = defaultdict(list)
    for line in statement.lines:
        groups[line.beneficiary_id].append(line)
    sections = [
        (lines[0].beneficiary_name, sorted(lines, key=lambda line: line.care_date))
        for lines in groups.values()
    ]
    if sections:
        present = {title for title, _ in sections}
        sections += [(name, []) for name in statement.beneficiary_names if name not in present]
    order = {name: i for i, name in enumerate(statement.beneficiary_names)}
    sections.sort(key=lambda s: (order.get(s[0], len(order)), s[0]))
    return sections


def _payment_summary(lines: list[StatementLine]) -> list[tuple[str, int]]:
    """What the mutual paid, per credited account, then what is paid elsewhere or pending."""
    per_account: dict[str, int] = defaultdict(int)
    third_party = pending = 0
    for line in lines:
        if line.payment_date is None:
            pending += line.mutual_cents
        elif line.bank_account_masked:
            per_account[line.bank_account_masked] += line.mutual_cents
        else:
            # Paid, but not to a member account: tiers payant (paid to the practitioner).
            third_party += line.mutual_cents
    rows = [(f"Versements sur le compte {acc}", c) for acc, c in per_account.items()]
    if third_party:
        rows.append(("Réglé directement aux professionnels de santé (tiers payant)", third_party))
    if pending:
        rows.append(("En attente de paiement", pending))
    return rows


# --------------------------------------------------------------------------- PDF

# A4 landscape, 10 mm side margins: 277 mm of usable width.
_COLUMNS = (  # (heading, width mm, align)
    ("Date des soins", 19, "L"),
    ("Acte", 62, "L"),
    ("Professionnel de santé", 44, "L"),
    ("Frais réels", 22, "R"),
    ("Base SS", 22, "R"),
    ("Part Sécurité sociale", 22, "R"),
    ("Participation forfaitaire et franchises", 22, "R"),
    ("Part mutuelle", 22, "R"),
    ("Reste à charge", 22, "R"),
    ("Date de paiement", 20, "L"),
)
# Subtotal/total rows: one label spanning date + act + practitioner, then the amounts.
_TOTAL_COLUMNS = (
    (sum(w for _, w, _ in _COLUMNS[:3]), "L"),
    *((w, a) for _, w, a in _COLUMNS[3:]),
)
_ROW_COLUMNS = tuple((w, a) for _, w, a in _COLUMNS)

_BREAKABLE_WS = {ord(c): " " for c in "\t\r\n\v\f"}
_FONT = "DejaVu"
_BODY_PT = 7.5
_LINE_H = 3.4  # mm per text line in table cells
_PAD = 1.0  # mm cell padding
_MAX_CELL_LINES = 6
_GREY_TEXT = (90, 90, 90)
_RULE = (190, 190, 190)
_HEAD_FILL = (228, 233, 240)
_TOTAL_FILL = (242, 242, 242)


def render_pdf(statement: Statement, *, compress: bool = True) -> bytes:
    """A4 landscape décompte. ``compress=False`` keeps content streams readable (tests)."""
    from fpdf import FPDF  # lazy: see module docstring

    period = _period_label(statement)

    class _StatementPDF(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return  # the first page has the full letterhead, drawn by the body
            self.set_font(_FONT, "", 7.5)
            self.set_text_color(*_GREY_TEXT)
            self.cell(
                0,
                4,
                f"{statement.brand_name} — Relevé de prestations {period} — "
                f"{statement.member_name} (n° {statement.member_number})",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            self.set_text_color(0)
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_draw_color(*_RULE)
            self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
            self.set_font(_FONT, "", 7.5)
            self.set_text_color(*_GREY_TEXT)
            self.cell(self.epw / 2, 6, LEGAL_LINE)
            self.cell(self.epw / 2, 6, f"Page {self.page_no()}/{{nb}}", align="R")
            self.set_text_color(0)

    pdf = _StatementPDF(orientation="L", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(_FONT, "", str(_FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(_FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Relevé de prestations {period}")
    pdf.set_author(statement.brand_name)
    pdf.set_lang("fr-FR")
    pdf.add_page()

    _draw_letterhead(pdf, statement, period)

    if not statement.lines:
        pdf.set_font(_FONT, "", 11)
        pdf.cell(0, 8, NO_LINES_SENTENCE, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    table = _Table(pdf)
    for title, lines in _beneficiary_sections(statement):
        table.section(title, lines)
    pdf.ln(2)
    table.total_row("Total de la période", _totals(statement.lines), grand=True)

    _draw_payments(pdf, _payment_summary(statement.lines))
    return bytes(pdf.output())


def _draw_letterhead(pdf, statement: Statement, period: str) -> None:
    top = pdf.y
    half = pdf.epw / 2
    pdf.set_font(_FONT, "B", 14)
    pdf.multi_cell(half, 7, statement.brand_name, new_x="LMARGIN", new_y="NEXT")
    if statement.brand_address:
        pdf.set_font(_FONT, "", 8.5)
        pdf.set_text_color(*_GREY_TEXT)
        pdf.multi_cell(half, 4, statement.brand_address, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    left_bottom = pdf.y

    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font(_FONT, "B", 16)
    pdf.cell(half, 8, "Relevé de prestations", align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(_FONT, "", 10)
    pdf.cell(half, 5, period, align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(_FONT, "", 8.5)
    pdf.set_text_color(*_GREY_TEXT)
    pdf.cell(half, 5, f"Édité le {_fr_date(statement.generated_on)}", align="R")
    pdf.set_text_color(0)

    pdf.set_xy(pdf.l_margin, max(left_bottom, pdf.y + 5) + 4)
    pdf.set_font(_FONT, "", 9.5)
    pdf.set_fill_color(*_HEAD_FILL)
    rows = [
        f"Adhérent : {statement.member_name}",
        f"N° d'adhérent : {statement.member_number}",
    ]
    if statement.beneficiary_names:
        label = "Bénéficiaire" if len(statement.beneficiary_names) == 1 else "Bénéficiaires"
        rows.append(f"{label} : {', '.join(statement.beneficiary_names)}")
    pdf.multi_cell(
        0, 5.5, "\n".join(rows), fill=True, padding=(2, 3), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(5)


def _draw_payments(pdf, rows: list[tuple[str, int]]) -> None:
    if not rows:
        return
    needed = 7 + 8 + 6 * len(rows)
    if pdf.y + min(needed, 40) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font(_FONT, "B", 11)
    pdf.cell(0, 7, "Versements de la mutuelle", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 9)
    for label, cents in rows:
        pdf.cell(0, 6, f"{label} : {format_eur(cents)}", new_x="LMARGIN", new_y="NEXT")


class _Table:
    """Minimal table drawer.

    fpdf2's `FPDF.table()` took ~2.7 s for 500 rows (it lays every cell out twice through
    multi_cell); positioning wrapped lines with `text()` is an order of magnitude faster.
    """

    def __init__(self, pdf) -> None:
        self.pdf = pdf
        self.title: str | None = None
        self._widths: dict[tuple[str, float, str], float] = {}
        pdf.set_font(_FONT, "B", 6.5)
        self.heading_lines = [self._wrap(h, w) for h, w, _ in _COLUMNS]
        self.heading_h = max(map(len, self.heading_lines)) * 3.0 + 2 * _PAD

    # -- public

    def section(self, title: str, lines: list[StatementLine]) -> None:
        pdf = self.pdf
        self.title = title
        rows = [self._line_cells(line) for line in lines]
        pdf.set_font(_FONT, "", _BODY_PT)
        first_h = self._row_height(rows[0], _ROW_COLUMNS) if rows else 8
        # Keep the title with the headings and at least one row.
        if pdf.y + 9 + self.heading_h + first_h > pdf.page_break_trigger:
            pdf.add_page()
        self._title(title)
        if not rows:
            pdf.set_font(_FONT, "", 9)
            pdf.cell(0, 6, NO_LINES_SENTENCE, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            return
        self._headings()
        for cells in rows:
            self._row(cells, _ROW_COLUMNS)
        self.total_row(f"Sous-total {title}", _totals(lines))
        pdf.ln(4)

    def total_row(self, label: str, totals: list[int], *, grand: bool = False) -> None:
        if grand:
            self.title = None  # a page break before the grand total must not say "<name> (suite)"
        cells = [label, *map(format_eur, totals), ""]
        self._row(cells, _TOTAL_COLUMNS, bold=True, fill=_TOTAL_FILL)

    # -- internals

    @staticmethod
    def _line_cells(line: StatementLine) -> list[str]:
        return [
            _fr_date(line.care_date),
            f"{line.act_label} ({line.act_code})",
            line.practitioner or "",
            *map(format_eur, _amounts(line)),
            _fr_date(line.payment_date) if line.payment_date else "En attente",
        ]

    def _wrap(self, text: str, width: float) -> list[str]:
        """Word-wrap on regular spaces only, so « 1 234,56 € » never splits."""
        width -= 2 * _PAD
        sw = self._width
        # Not str.split(): it would also split (and lose) the no-break spaces.
        words = [w for w in text.translate(_BREAKABLE_WS).split(" ") if w]
        joined = " ".join(words)
        if not words or sw(joined) <= width:
            return [joined]
        lines: list[str] = []
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if sw(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while sw(word) > width and len(word) > 1:  # a single over-long word: hard break
                cut = len(word) - 1
                while cut > 1 and sw(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
        if len(lines) > _MAX_CELL_LINES:
            # Garbage-long upstream text must not push a row past the page; the CSV keeps it all.
            lines = [*lines[: _MAX_CELL_LINES - 1], lines[_MAX_CELL_LINES - 1] + " …"]
        return lines

    def _width(self, text: str) -> float:
        # Measuring is the hot spot of a long statement, and amounts/labels repeat a lot.
        pdf = self.pdf
        key = (pdf.font_style, pdf.font_size_pt, text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = pdf.get_string_width(text)
        return width

    def _row_height(self, cells: list[str], columns) -> float:
        return (
            max(len(self._wrap(c, w)) for c, (w, _) in zip(cells, columns, strict=True)) * _LINE_H
            + 2 * _PAD
        )

    def _title(self, title: str, continued: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, "B", 11)
        pdf.cell(0, 7, f"{title} (suite)" if continued else title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def _headings(self) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, "B", 6.5)
        pdf.set_fill_color(*_HEAD_FILL)
        y, x = pdf.y, pdf.l_margin
        pdf.rect(x, y, pdf.epw, self.heading_h, style="F")
        for (_, w, align), lines in zip(_COLUMNS, self.heading_lines, strict=True):
            self._draw_lines(lines, x, y, w, align, 3.0)
            x += w
        pdf.set_y(y + self.heading_h)

    def _row(self, cells: list[str], columns, bold: bool = False, fill=None) -> None:
        pdf = self.pdf
        pdf.set_font(_FONT, "B" if bold else "", _BODY_PT)
        wrapped = [self._wrap(c, w) for c, (w, _) in zip(cells, columns, strict=True)]
        h = max(map(len, wrapped)) * _LINE_H + 2 * _PAD
        if pdf.y + h > pdf.page_break_trigger:
            pdf.add_page()
            if self.title is not None:
                self._title(self.title, continued=True)
            self._headings()
            pdf.set_font(_FONT, "B" if bold else "", _BODY_PT)
        y, x = pdf.y, pdf.l_margin
        if fill:
            pdf.set_fill_color(*fill)
            pdf.rect(x, y, pdf.epw, h, style="F")
        for lines, (w, align) in zip(wrapped, columns, strict=True):
            self._draw_lines(lines, x, y, w, align, _LINE_H)
            x += w
        pdf.set_draw_color(*_RULE)
        pdf.line(pdf.l_margin, y + h, pdf.l_margin + pdf.epw, y + h)
        pdf.set_y(y + h)

    def _draw_lines(self, lines: list[str], x: float, y: float, w: float, align: str, lh: float):
        pdf = self.pdf
        for i, text in enumerate(lines):
            if not text:
                continue
            tx = x + w - _PAD - self._width(text) if align == "R" else x + _PAD
            # text() takes the baseline; ~0.75 of the line height sits above it.
            pdf.text(tx, y + _PAD + i * lh + 0.75 * lh, text)
