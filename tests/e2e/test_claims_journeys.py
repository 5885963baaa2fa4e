"""Issue 3 journeys: an estimate, a reimbursement request with an invoice, statements."""

import csv
import io
import re
from datetime import timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from shared import clock
from tests.e2e.conftest import login
from tests.e2e.helpers import ONE_VIEWPORT, PDF_INVOICE, cents


def choose_person(page, field_label, first_name):
    select = page.get_by_label(field_label)
    option = select.locator("option", has_text=first_name)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))


def choose_care(page, field_label, query, option_text):
    field = page.get_by_label(field_label, exact=True)
    field.fill(query)
    option = page.get_by_role("option", name=re.compile(option_text, re.I)).first
    expect(option).to_be_visible()
    option.click()


def test_estimate_for_a_gp_consultation(page):
    login(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    page.goto("/espace/estimation/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("estimation")
    # Karim: no regime of his changes a GP visit (Fatima is in her maternity cover).
    choose_person(page, "Bénéficiaire des soins", "Karim")
    choose_care(page, "Soin", "généraliste", "généraliste")
    page.get_by_label("Prix annoncé, en euros").fill("30")
    page.get_by_label(re.compile("^Conventionné secteur 1")).check()
    page.get_by_role("button", name="Calculer mon estimation").click()
    result = page.get_by_test_id("estimate-result")
    expect(result).to_be_visible()

    def line(key):
        return cents(result.locator(f".ea-lines__row--{key} .ea-lines__amount").inner_text())

    assert line("real_cost") == 3000
    assert line("social_security") == 1900  # 70 % of €30 minus the €2 participation
    assert line("real_cost") == line("social_security") + line("mutual") + line("out_of_pocket")
    expect(result.locator(".ea-split__bar")).to_be_visible()
    page.goto("/espace/estimations/")
    expect(page.get_by_test_id("estimate-row").first).to_be_visible()


def test_reimbursement_request_with_an_invoice(page, tmp_path, viewport):
    invoice = tmp_path / "facture-pharmacie.pdf"
    invoice.write_bytes(PDF_INVOICE)
    login(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    page.goto("/espace/demande-remboursement/")
    choose_person(page, "Bénéficiaire des soins", "Karim")
    choose_care(page, "Soin", "généraliste", "généraliste")
    page.get_by_label("Date des soins").fill((clock.today() - timedelta(days=2)).isoformat())
    # Another amount on each viewport: the same care sent twice would be warned about.
    page.get_by_label("Montant payé, en euros").fill({"desktop": "30,00"}.get(viewport, "31,00"))
    page.get_by_label(re.compile("^Conventionné secteur 1")).check()
    page.get_by_label("Factures, feuilles de soins ou prescriptions").set_input_files(
        str(invoice))
    expect(page.get_by_test_id("upload-file")).to_contain_text("facture-pharmacie.pdf")
    page.get_by_role("button", name="Vérifier ma demande").click()
    send = page.get_by_role("button", name="Envoyer ma demande")
    expect(send).to_be_visible()
    send.dblclick()  # a double click sends one request
    reference = page.get_by_test_id("request-reference")
    expect(reference).to_have_text(re.compile(r"^DR-\d{4}-[0-9A-F]{8}$"))
    ref = reference.inner_text()
    page.goto("/espace/demande-remboursement/")
    expect(page.get_by_test_id("request-row").filter(has_text=ref)).to_have_count(1)


@ONE_VIEWPORT
def test_wrong_file_type_is_refused_in_french(page, tmp_path):
    fake = tmp_path / "facture.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf at all")
    login(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    page.goto("/espace/demande-remboursement/")
    page.get_by_label("Factures, feuilles de soins ou prescriptions").set_input_files(str(fake))
    expect(page.get_by_test_id("upload-file")).to_contain_text(re.compile("PDF, JPEG ou PNG"))


def test_statement_downloads_pdf_and_csv(page):
    login(page)
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    page.goto("/espace/releves/")
    year = clock.today().year - 1
    page.get_by_label("Du", exact=True).fill(f"{year}-01-01")
    page.get_by_label("Au", exact=True).fill(f"{year}-12-31")
    with page.expect_download() as pdf_info:
        page.get_by_test_id("statement-period-pdf").click()
    pdf_path = pdf_info.value.path()
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "Relevé de prestations" in text
    assert f"du 01/01/{year} au 31/12/{year}" in text
    for name in ("Fatima Lambert", "Karim Lambert", "Inès Lambert"):
        assert name in text
    assert "Consultation" in text and "Total" in text

    with page.expect_download() as csv_info:
        page.get_by_test_id("statement-period-csv").click()
    with open(csv_info.value.path(), "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Date des soins" and rows[-1][0] == "Total"
    assert len(rows) > 10
    # A statement lists what was paid in the period (a late-December care paid in January
    # belongs to January's statement).
    paid = rows[0].index("Date de paiement")
    assert all(re.fullmatch(r"\d{2}/\d{2}/" + str(year), r[paid]) for r in rows[1:-1])
    total_mutual = sum(cents(r[9]) for r in rows[1:-1])
    assert cents(rows[-1][9]) == total_mutual
