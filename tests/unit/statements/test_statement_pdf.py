import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.logic.statement_render import render_pdf

FUNCTIONS_DIR = Path(__file__).resolve().parents[3] / "functions"
ACCOUNT = "FR76 •••• •••• •••• •••• •••• 321"


def _text(pdf_text, pdf: bytes) -> str:
    # No-break spaces look like spaces on paper; compare what the reader sees.
    return "\n".join(pdf_text(pdf)).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def text(statement, pdf_text) -> str:
    return _text(pdf_text, render_pdf(statement, compress=False))


def test_is_a_pdf(statement):
    data = render_pdf(statement)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"DejaVuSans" in data  # font embedded: € and accents render on any reader


def test_letterhead(text):
    for expected in (
        "Mutuelle Horizon Santé",
        "Relevé de prestations",
        "du 01/01/2026 au 31/01/2026",
        "Édité le 05/02/2026",
        "Titulaire du contrat : Marie Martin",
        "N° d'adhérent : 123456789",
    ):
        assert expected in text


def test_one_section_per_beneficiary_in_filter_order_and_acts_by_care_date(text):
    lines = text.splitlines()
    marie, leo = lines.index("Marie Martin"), lines.index("Léo Martin")
    assert marie < leo

    def pos(label):
        return text.index(label)

    assert (
        pos("Séance de kinésithérapie (AMK)")  # Marie, 05/01
        < pos("Consultation médecin généraliste (G)")  # Marie, 12/01
        < pos("Sous-total Marie Martin")
        < pos("Médicaments remboursés à 65 % (PH7)")  # Léo, 08/01
        < pos("Verres et monture (OPT)")  # Léo, 20/01
        < pos("Sous-total Léo Martin")
        < pos("Total de la période")
    )


def test_every_column_of_an_act(text):
    lines = text.splitlines()
    i = lines.index("Verres et monture (OPT)")
    assert lines[i - 1 : i + 9] == [
        "20/01/2026",
        "Verres et monture (OPT)",
        "Optique du Centre",
        "1 234,56 €",  # frais réels
        "9,00 €",  # base SS
        "5,40 €",  # part SS
        "0,00 €",  # participation forfaitaire et franchises
        "1 000,00 €",  # part mutuelle
        "229,16 €",  # reste à charge
        "En attente",  # not paid yet
    ]


def test_subtotals_and_grand_total(text):
    lines = text.splitlines()

    def amounts_after(label):
        i = lines.index(label)
        return lines[i + 1 : i + 7]

    assert amounts_after("Sous-total Marie Martin") == [
        "46,13 €",
        "46,13 €",
        "27,68 €",
        "3,00 €",
        "15,45 €",
        "3,00 €",
    ]
    assert amounts_after("Sous-total Léo Martin") == [
        "1 247,06 €",
        "21,50 €",
        "13,52 €",
        "0,50 €",
        "1 003,88 €",
        "229,66 €",
    ]
    assert amounts_after("Total de la période") == [
        "1 293,19 €",
        "67,63 €",
        "41,20 €",
        "3,50 €",
        "1 019,33 €",
        "232,66 €",
    ]


def test_payments_per_account(text):
    assert f"Versements sur le compte {ACCOUNT} : 15,45 €" in text
    assert "Réglé directement aux professionnels de santé (tiers payant) : 3,88 €" in text
    assert "En attente de paiement : 1 000,00 €" in text


def test_footer(text):
    assert "Document établi à titre informatif" in text
    assert "Page 1/1" in text.replace("/\n", "/")  # fpdf2 draws the page-count alias apart


def test_amounts_keep_french_spacing(statement, pdf_text):
    raw = "\n".join(pdf_text(render_pdf(statement, compress=False)))
    # Thousands separator and the space before € are non-breaking: never split across lines.
    assert "1\u202f234,56\u00a0€" in raw


def test_empty_statement(empty_statement, pdf_text):
    data = render_pdf(empty_statement, compress=False)
    text = _text(pdf_text, data)

    assert "Aucune prestation sur cette période." in text
    assert "Total de la période" not in text
    assert "Relevé de prestations" in text


def test_filtered_beneficiary_without_acts_gets_an_explicit_section(statement, pdf_text):
    with_paul = statement.model_copy(
        update={"beneficiary_names": [*statement.beneficiary_names, "Paul Martin"]}
    )
    text = _text(pdf_text, render_pdf(with_paul, compress=False))
    lines = text.splitlines()

    i = lines.index("Paul Martin")
    assert lines[i + 1] == "Aucune prestation sur cette période."


def test_year_of_500_acts_spans_pages_with_headers_repeated(big_statement, pdf_text):
    start = time.perf_counter()
    data = render_pdf(big_statement, compress=False)
    elapsed = time.perf_counter() - start

    pages = [
        p.replace("\u00a0", " ").replace("\u202f", " ").replace("/\n", "/") for p in pdf_text(data)
    ]
    n = len(pages)
    assert n >= 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}/{n}" in page
        assert "Document établi à titre informatif" in page
        assert "Frais réels" in page and "Reste à charge" in page  # headings on every page
    assert "Marie Martin (suite)" in pages[1]
    assert "Total de la période" in pages[-1]
    # Lines of every beneficiary are all there.
    assert sum(p.count("(PHARMA)") + p.count("(C)") for p in pages) == 500
    # Generous bound (measured ~0.3-0.6 s): only catches a switch to a much slower layout.
    assert elapsed < 10


def test_fpdf_is_not_imported_with_the_module():
    # Lambdas that only build models or CSV must not pay fpdf2's import on cold start.
    code = "import sys, claims.logic.statement_render; sys.exit('fpdf' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(FUNCTIONS_DIR)}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


def test_absurdly_long_free_text_stays_within_the_page(statement, pdf_text):
    line = statement.lines[0].model_copy(
        update={"act_label": "Acte " * 600, "practitioner": "X" * 400}
    )
    pages = pdf_text(render_pdf(statement.model_copy(update={"lines": [line]}), compress=False))

    assert len(pages) == 1
    assert "…" in pages[0]
    assert "Total de la période" in pages[0]
