"""Statement (relevé de prestations) rendering: CSV for spreadsheets, PDF for reading/printing.

Pure functions: models in, bytes out. The PDF is drawn with the shared PDF kit, which imports
`fpdf` only when a document is made.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from shared import pdf as kit
from shared.dates import fr_date
from shared.money import format_eur

Cents = Annotated[int, Field(ge=0)]

NO_LINES_SENTENCE = "Aucune prestation sur cette période."
NO_PAYMENT_SENTENCE = ("Aucun versement de la mutuelle sur cette période : l'Assurance Maladie "
                       "a pris ces soins en charge sans part de la mutuelle.")
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


def _csv_amount(cents: int) -> str:
    # No thousands separator: French Excel would read "1 234,56" as text, not a number.
    return f"{cents // 100},{cents % 100:02d}"


def _period_label(statement: Statement) -> str:
    return f"du {fr_date(statement.period_start)} au {fr_date(statement.period_end)}"


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
                fr_date(line.care_date),
                _csv_text(line.beneficiary_name),
                _csv_text(line.act_label),
                _csv_text(line.act_code),
                _csv_text(line.practitioner),
                *(_csv_amount(a) for a in _amounts(line)),
                fr_date(line.payment_date) if line.payment_date else "",
                _csv_text(line.bank_account_masked) if line.mutual_cents else "",
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
        if not line.mutual_cents:
            continue  # nothing paid: no « versement » of 0,00 € to an account
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
_COLUMNS = (
    kit.Column("Date des soins", 19),
    kit.Column("Acte", 62),
    kit.Column("Professionnel de santé", 44),
    kit.Column("Frais réels", 22, "R"),
    kit.Column("Base SS", 22, "R"),
    kit.Column("Part Sécurité sociale", 22, "R"),
    kit.Column("Participation forfaitaire et franchises", 22, "R"),
    kit.Column("Part mutuelle", 22, "R"),
    kit.Column("Reste à charge", 22, "R"),
    kit.Column("Date de paiement", 20),
)


def _line_cells(line: StatementLine) -> list[str]:
    return [
        fr_date(line.care_date),
        f"{line.act_label} ({line.act_code})",
        line.practitioner or "",
        *map(format_eur, _amounts(line)),
        fr_date(line.payment_date) if line.payment_date else "En attente",
    ]


def _total_cells(label: str, lines: list[StatementLine]) -> list[str]:
    return [label, *map(format_eur, _totals(lines)), ""]


def render_pdf(statement: Statement, *, compress: bool = True) -> bytes:
    """A4 landscape décompte. ``compress=False`` keeps content streams readable (tests)."""
    period = _period_label(statement)
    pdf = kit.new_document(kit.Letterhead(
        brand_name=statement.brand_name, brand_address=statement.brand_address,
        title="Relevé de prestations", subtitle=period, issued_on=statement.generated_on,
        running_header=f"{statement.brand_name} — Relevé de prestations {period} — "
                       f"{statement.member_name} (n° {statement.member_number})",
        legal_line=LEGAL_LINE), orientation="L", compress=compress)
    rows = [f"Titulaire du contrat : {statement.member_name}",
            f"N° d'adhérent : {statement.member_number}"]
    if statement.beneficiary_names:
        label = "Bénéficiaire" if len(statement.beneficiary_names) == 1 else "Bénéficiaires"
        rows.append(f"{label} : {', '.join(statement.beneficiary_names)}")
    kit.info_box(pdf, rows)

    if not statement.lines:
        kit.paragraph(pdf, NO_LINES_SENTENCE, size=11, height=8)
        return kit.output(pdf)

    table = kit.Table(pdf, _COLUMNS, label_span=3)
    for title, lines in _beneficiary_sections(statement):
        table.section(title, [_line_cells(line) for line in lines],
                      subtotal=_total_cells(f"Sous-total {title}", lines) if lines else None,
                      empty=NO_LINES_SENTENCE)
    pdf.ln(2)
    table.total_row(_total_cells("Total de la période", statement.lines), grand=True)
    _draw_payments(pdf, _payment_summary(statement.lines))
    return kit.output(pdf)


def _draw_payments(pdf, rows: list[tuple[str, int]]) -> None:
    kit.keep_together(pdf, min(7 + 8 + 6 * max(len(rows), 1), 40))
    pdf.ln(6)
    kit.heading(pdf, "Versements de la mutuelle")
    if not rows:
        kit.paragraph(pdf, NO_PAYMENT_SENTENCE, height=6)
    for label, cents in rows:
        kit.paragraph(pdf, f"{label} : {format_eur(cents)}", height=6)
