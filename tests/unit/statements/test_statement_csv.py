import csv
import io
import time
from datetime import date

import pytest
from pydantic import ValidationError

from claims.logic.statement_render import Statement, StatementLine, render_csv, statement_filename

HEADERS = [
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
]
ACCOUNT = "FR76 •••• •••• •••• •••• •••• 321"


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_opens_in_french_excel(statement):
    data = render_csv(statement)

    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8, not cp1252
    text = data[3:].decode("utf-8")
    assert text.splitlines()[0] == ";".join(HEADERS)
    assert text.endswith("\r\n")
    assert text.count("\r\n") == text.count("\n")  # CRLF everywhere, no bare LF


def test_rows_are_chronological_with_french_dates_and_decimal_commas(statement):
    rows = _rows(render_csv(statement))

    assert rows[0] == HEADERS
    # fmt: off
    assert rows[1:5] == [
        ["05/01/2026", "Marie Martin", "Séance de kinésithérapie", "AMK",
         """'=HYPERLINK("http://evil.example";"Cliquez")""",
         "16,13", "16,13", "8,68", "1,00", "6,45", "1,00", "09/01/2026", ACCOUNT],
        ["08/01/2026", "Léo Martin", "Médicaments remboursés à 65 %", "PH7", "",
         "12,50", "12,50", "8,12", "0,50", "3,88", "0,50", "10/01/2026", ""],
        ["12/01/2026", "Marie Martin", "Consultation médecin généraliste", "G", "Dr Sophie Bernard",
         "30,00", "30,00", "19,00", "2,00", "9,00", "2,00", "15/01/2026", ACCOUNT],
        # 1 234,56 € without thousands separator, so Excel still sees a number; not paid yet.
        ["20/01/2026", "Léo Martin", "Verres et monture", "OPT", "Optique du Centre",
         "1234,56", "9,00", "5,40", "0,00", "1000,00", "229,16", "", ""],
    ]
    # fmt: on


def test_totals_row(statement):
    rows = _rows(render_csv(statement))

    assert len(rows) == 6
    assert rows[-1] == (
        ["Total", "", "", "", ""]
        + ["1293,19", "67,63", "41,20", "3,50", "1019,33", "232,66"]
        + ["", ""]
    )


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
@pytest.mark.parametrize(
    "field", ["beneficiary_name", "act_label", "act_code", "practitioner", "bank_account_masked"]
)
def test_free_text_cannot_become_a_formula(statement, field, trigger):
    hostile = f"{trigger}cmd|' /C calc'!A0"
    line = statement.lines[0].model_copy(update={field: hostile})
    data = render_csv(statement.model_copy(update={"lines": [line]}))

    cell = _rows(data)[1][HEADERS.index(_header_for(field))]
    assert cell == "'" + hostile


def _header_for(field: str) -> str:
    return {
        "beneficiary_name": "Bénéficiaire",
        "act_label": "Acte",
        "act_code": "Code",
        "practitioner": "Professionnel de santé",
        "bank_account_masked": "Compte crédité",
    }[field]


def test_ordinary_text_is_left_alone(statement):
    rows = _rows(render_csv(statement))
    assert {r[1] for r in rows[1:5]} == {"Marie Martin", "Léo Martin"}
    assert rows[3][4] == "Dr Sophie Bernard"


def test_negative_amounts_are_rejected():
    with pytest.raises(ValidationError):
        StatementLine(
            claim_id="c",
            care_date=date(2026, 1, 1),
            beneficiary_id="b",
            beneficiary_name="B",
            act_code="G",
            act_label="Consultation",
            practitioner=None,
            real_cost_cents=-3000,
            base_cents=0,
            social_security_cents=0,
            deductibles_cents=0,
            mutual_cents=0,
            out_of_pocket_cents=0,
            payment_date=None,
            bank_account_masked=None,
        )


def test_empty_statement_says_so(empty_statement):
    rows = _rows(render_csv(empty_statement))

    assert rows == [HEADERS, ["Aucune prestation sur cette période."]]


def test_year_of_500_acts_is_fast(big_statement):
    start = time.perf_counter()
    data = render_csv(big_statement)
    elapsed = time.perf_counter() - start

    assert len(_rows(data)) == 1 + 500 + 1
    assert elapsed < 1.0


def test_filename(statement):
    assert statement_filename(statement, "pdf") == "releve-prestations-2026-01-01-au-2026-01-31.pdf"
    assert (
        statement_filename(statement, ".csv") == "releve-prestations-2026-01-01-au-2026-01-31.csv"
    )
    with pytest.raises(ValueError):
        statement_filename(statement, 'pdf"; evil')


def test_period_must_be_ordered(statement):
    with pytest.raises(ValidationError):
        Statement.model_validate({**statement.model_dump(), "period_start": date(2026, 2, 1)})
