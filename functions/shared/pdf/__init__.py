"""The PDF kit every document uses: statements today, the card, attestations and receipts.

Fonts, letterhead with the brand, running header and footer, an information box and a fast
table drawer, so that each document only says what it contains. `fpdf` is imported when a
document is made, never at module import: functions that do not render PDFs (or render them
rarely) do not pay for it at cold start.

DejaVu Sans is bundled (licence in fonts/LICENSE): fpdf2's core fonts are latin-1 only and
cannot draw « € » nor the narrow no-break space of French amounts, and Lambda has no system
fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from shared.dates import fr_date

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
GREY_TEXT = (90, 90, 90)
RULE = (190, 190, 190)
HEAD_FILL = (228, 233, 240)
TOTAL_FILL = (242, 242, 242)
_BREAKABLE_WS = {ord(c): " " for c in "\t\r\n\v\f"}

Align = Literal["L", "R", "C"]


@dataclass(frozen=True)
class Letterhead:
    """What every document says at its top and bottom."""

    brand_name: str
    title: str  # « Relevé de prestations »
    subtitle: str = ""  # the period, the member...
    running_header: str = ""  # repeated on pages 2 and after
    brand_address: str | None = None
    issued_on: date | None = None
    legal_line: str = "Document établi à titre informatif"


def new_document(head: Letterhead, *, orientation: Literal["P", "L"] = "P",
                 compress: bool = True) -> Any:
    """An A4 document with fonts, margins, footer and running header; page 1 is added and
    carries the letterhead. ``compress=False`` keeps content streams readable (tests)."""
    from fpdf import FPDF

    class _Document(FPDF):
        def header(self) -> None:
            if self.page_no() == 1 or not head.running_header:
                return
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY_TEXT)
            self.cell(0, 4, head.running_header, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY_TEXT)
            self.cell(self.epw / 2, 6, head.legal_line)
            self.cell(self.epw / 2, 6, f"Page {self.page_no()}/{{nb}}", align="R")
            self.set_text_color(0)

    pdf = _Document(orientation=orientation, unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{head.title} {head.subtitle}".strip())
    pdf.set_author(head.brand_name)
    pdf.set_lang("fr-FR")
    pdf.add_page()
    _letterhead(pdf, head)
    return pdf


def _letterhead(pdf: Any, head: Letterhead) -> None:
    top = pdf.y
    half = pdf.epw / 2
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(half, 7, head.brand_name, new_x="LMARGIN", new_y="NEXT")
    if head.brand_address:
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*GREY_TEXT)
        pdf.multi_cell(half, 4, head.brand_address, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    left_bottom = pdf.y

    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(half, 8, head.title, align="R", new_x="LEFT", new_y="NEXT")
    if head.subtitle:
        pdf.set_font(FONT, "", 10)
        pdf.cell(half, 5, head.subtitle, align="R", new_x="LEFT", new_y="NEXT")
    if head.issued_on:
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*GREY_TEXT)
        pdf.cell(half, 5, f"Édité le {fr_date(head.issued_on)}", align="R")
        pdf.set_text_color(0)
    pdf.set_xy(pdf.l_margin, max(left_bottom, pdf.y + 5) + 4)


def info_box(pdf: Any, rows: Sequence[str]) -> None:
    """A shaded box of short lines (member, number, beneficiaries...)."""
    pdf.set_font(FONT, "", 9.5)
    pdf.set_fill_color(*HEAD_FILL)
    pdf.multi_cell(0, 5.5, "\n".join(rows), fill=True, padding=(2, 3), new_x="LMARGIN",
                   new_y="NEXT")
    pdf.ln(5)


def heading(pdf: Any, text: str, size: float = 11) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def paragraph(pdf: Any, text: str, size: float = 9, height: float = 5) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def keep_together(pdf: Any, height: float) -> None:
    """Start a new page unless `height` mm still fit on this one."""
    if pdf.y + height > pdf.page_break_trigger:
        pdf.add_page()


@dataclass(frozen=True)
class Column:
    heading: str
    width: float  # mm
    align: Align = "L"


class Table:
    """A fast table drawer: wrapped cells, repeated headings after a page break, titled
    sections with subtotals.

    fpdf2's `FPDF.table()` took ~2.7 s for 500 rows (it lays every cell out twice through
    multi_cell); positioning wrapped lines with `text()` is an order of magnitude faster.
    """

    BODY_PT = 7.5
    HEAD_PT = 6.5
    LINE_H = 3.4  # mm per text line in cells
    HEAD_LINE_H = 3.0
    PAD = 1.0  # mm cell padding
    MAX_CELL_LINES = 6

    def __init__(self, pdf: Any, columns: Sequence[Column], *, label_span: int = 1) -> None:
        self.pdf = pdf
        self.columns = tuple(columns)
        self.title: str | None = None
        self._widths: dict[tuple[str, float, str], float] = {}
        self._row_columns = tuple((c.width, c.align) for c in self.columns)
        # Total rows: one label spanning the first `label_span` columns, then the others.
        self._total_columns = ((sum(c.width for c in self.columns[:label_span]), "L"),
                               *self._row_columns[label_span:])
        pdf.set_font(FONT, "B", self.HEAD_PT)
        self.heading_lines = [self._wrap(c.heading, c.width) for c in self.columns]
        self.heading_h = max(map(len, self.heading_lines)) * self.HEAD_LINE_H + 2 * self.PAD

    # -- public

    def section(self, title: str, rows: Sequence[Sequence[str]], *,
                subtotal: Sequence[str] | None = None, empty: str = "") -> None:
        """A titled block of rows (the title is kept with the headings and the first row)."""
        pdf = self.pdf
        self.title = title
        pdf.set_font(FONT, "", self.BODY_PT)
        first_h = self.row_height(rows[0], self._row_columns) if rows else 8
        keep_together(pdf, 9 + self.heading_h + first_h)
        self._title(title)
        if not rows:
            pdf.set_font(FONT, "", 9)
            pdf.cell(0, 6, empty, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            return
        self.headings()
        for cells in rows:
            self.row(cells)
        if subtotal is not None:
            self.total_row(subtotal)
        pdf.ln(4)

    def row(self, cells: Sequence[str]) -> None:
        self._row(cells, self._row_columns)

    def total_row(self, cells: Sequence[str], *, grand: bool = False) -> None:
        if grand:
            self.title = None  # a page break before the grand total must not say "(suite)"
        self._row(cells, self._total_columns, bold=True, fill=TOTAL_FILL)

    def headings(self) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", self.HEAD_PT)
        pdf.set_fill_color(*HEAD_FILL)
        y, x = pdf.y, pdf.l_margin
        pdf.rect(x, y, pdf.epw, self.heading_h, style="F")
        for column, lines in zip(self.columns, self.heading_lines, strict=True):
            self._draw_lines(lines, x, y, column.width, column.align, self.HEAD_LINE_H)
            x += column.width
        pdf.set_y(y + self.heading_h)

    def row_height(self, cells: Sequence[str], columns) -> float:
        return (max(len(self._wrap(c, w)) for c, (w, _) in zip(cells, columns, strict=True))
                * self.LINE_H + 2 * self.PAD)

    # -- internals

    def _wrap(self, text: str, width: float) -> list[str]:
        """Word-wrap on regular spaces only, so « 1 234,56 € » never splits."""
        width -= 2 * self.PAD
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
        if len(lines) > self.MAX_CELL_LINES:
            # Garbage-long upstream text must not push a row past the page.
            lines = [*lines[: self.MAX_CELL_LINES - 1], lines[self.MAX_CELL_LINES - 1] + " …"]
        return lines

    def _width(self, text: str) -> float:
        # Measuring is the hot spot of a long table, and amounts and labels repeat a lot.
        pdf = self.pdf
        key = (pdf.font_style, pdf.font_size_pt, text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = pdf.get_string_width(text)
        return width

    def _title(self, title: str, continued: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, f"{title} (suite)" if continued else title, new_x="LMARGIN",
                 new_y="NEXT")
        pdf.ln(1)

    def _row(self, cells: Sequence[str], columns, bold: bool = False, fill=None) -> None:
        pdf = self.pdf
        style = "B" if bold else ""
        pdf.set_font(FONT, style, self.BODY_PT)
        wrapped = [self._wrap(c, w) for c, (w, _) in zip(cells, columns, strict=True)]
        h = max(map(len, wrapped)) * self.LINE_H + 2 * self.PAD
        if pdf.y + h > pdf.page_break_trigger:
            pdf.add_page()
            if self.title is not None:
                self._title(self.title, continued=True)
            self.headings()
            pdf.set_font(FONT, style, self.BODY_PT)
        y, x = pdf.y, pdf.l_margin
        if fill:
            pdf.set_fill_color(*fill)
            pdf.rect(x, y, pdf.epw, h, style="F")
        for lines, (w, align) in zip(wrapped, columns, strict=True):
            self._draw_lines(lines, x, y, w, align, self.LINE_H)
            x += w
        pdf.set_draw_color(*RULE)
        pdf.line(pdf.l_margin, y + h, pdf.l_margin + pdf.epw, y + h)
        pdf.set_y(y + h)

    def _draw_lines(self, lines: list[str], x: float, y: float, w: float, align: str,
                    lh: float) -> None:
        pdf = self.pdf
        for i, text in enumerate(lines):
            if not text:
                continue
            if align == "R":
                tx = x + w - self.PAD - self._width(text)
            elif align == "C":
                tx = x + (w - self._width(text)) / 2
            else:
                tx = x + self.PAD
            # text() takes the baseline; ~0.75 of the line height sits above it.
            pdf.text(tx, y + self.PAD + i * lh + 0.75 * lh, text)


def output(pdf: Any) -> bytes:
    return bytes(pdf.output())
