"""« Demander un remboursement »: refused files named one by one, limits from the API."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import ONE_VIEWPORT, PDF_INVOICE, signed_in

FILES_LABEL = "Factures, feuilles de soins ou prescriptions"


@ONE_VIEWPORT
def test_each_refused_file_is_named_with_its_reason(page, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("pas une facture")
    letter = tmp_path / "courrier.docx"
    letter.write_bytes(b"PK\x03\x04 not an invoice")
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (11 * 1024 * 1024))
    login(page)
    signed_in(page)
    page.goto("/espace/demande-remboursement/")
    files = page.get_by_label(FILES_LABEL)
    files.set_input_files([str(notes), str(letter)])
    page.get_by_role("button", name="Vérifier ma demande").click()
    summary = page.get_by_role("heading", name=re.compile("Le formulaire contient")).locator("..")
    expect(summary).to_be_visible()
    expect(summary).not_to_contain_text("Un fichier n'a pas pu être envoyé")
    for name in ("notes.txt", "courrier.docx"):
        expect(summary.get_by_role("link", name=re.compile(re.escape(name)))).to_contain_text(
            "PDF, JPEG ou PNG")
    expect(files).to_have_accessible_description(re.compile("notes.txt.*courrier.docx"))

    files.set_input_files(str(photo))
    page.get_by_role("button", name="Vérifier ma demande").click()
    expect(summary.get_by_role("link", name=re.compile("photo.png"))).to_contain_text("10 Mo")


@pytest.mark.parametrize("viewport", ["desktop"])  # the same words on a phone
def test_upload_limits_come_from_the_api(page, tmp_path):
    page.route("**/api/support/uploads/limits", lambda route: route.fulfill(json={
        "max_bytes": 2 * 1024 * 1024, "max_files": 2, "content_types": ["application/pdf"],
        "type_names": "PDF"}))
    big = tmp_path / "ordonnance.pdf"
    big.write_bytes(PDF_INVOICE + b"\0" * (3 * 1024 * 1024))
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n")
    login(page)
    signed_in(page)
    page.goto("/espace/demande-remboursement/")
    expect(page.get_by_text("Jusqu'à 2 fichiers PDF, de 2 Mo maximum chacun.")).to_be_visible()
    files = page.get_by_label(FILES_LABEL)
    files.set_input_files([str(big), str(scan)])
    entries = page.get_by_test_id("upload-file")
    expect(entries.filter(has_text="ordonnance.pdf")).to_contain_text("2 Mo")
    expect(entries.filter(has_text="scan.png")).to_contain_text("PDF")
