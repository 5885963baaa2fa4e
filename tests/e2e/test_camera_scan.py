"""The camera scan on a phone: pages photographed one by one (the pictures are files set on the
camera's input, or given to the file chooser its buttons open), kept, retaken, turned, then one
PDF made in the browser and sent through the upload field. The PDF stored is read back page by
page. A computer has no camera button; what is not a picture, too many pages and a document
too heavy even reduced are refused, and nothing is sent."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.camera import pdf_pages, photo, red_corner
from tests.e2e.conftest import login

PHONE = pytest.mark.parametrize("viewport", ["phone"])
PAGE = "/espace/demande-remboursement/"
A4 = (595.28, 841.89)


def open_form(page):
    login(page)
    page.goto(PAGE)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Photographier un document")).to_be_visible()


def shoot_with(page, button, picture):
    """Touches `button` (which opens the camera) and gives the camera `picture`."""
    with page.expect_file_chooser() as chooser:
        button.click()
    assert chooser.value.element.get_attribute("capture") == "environment"
    assert chooser.value.element.get_attribute("accept") == "image/*"
    chooser.value.set_files(str(picture))


def uploads_sent(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST"
            and re.search(r"/support/uploads(/|$)", r.url) else None)
    return sent


def stored_upload(stack, upload_id: str) -> bytes:
    s3 = stack["stack"].client("s3")
    bucket = stack["stack"].resources.names["DocumentsBucket"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="members/")["Contents"]
            if o["Key"].endswith(f"/uploads/{upload_id}.pdf")]
    assert len(keys) == 1, keys
    return s3.get_object(Bucket=bucket, Key=keys[0])["Body"].read()


@PHONE
def test_three_pages_kept_retaken_turned_become_one_pdf_checked_page_by_page(page, stack, tmp_path):
    portrait = photo(tmp_path / "page-1.jpg", 2400, 3200)          # reduced to 1200 x 1600
    blurred = photo(tmp_path / "floue.jpg", 600, 800)
    landscape = photo(tmp_path / "page-2.png", 1500, 1000, fmt="PNG")
    sideways = photo(tmp_path / "page-3.jpg", 1600, 1200)          # to be turned upright
    open_form(page)
    scan = page.get_by_test_id("scan")
    status = page.locator("#dem-files-status")

    shoot_with(page, scan.get_by_role("button", name="Photographier un document"), portrait)
    pages = scan.get_by_test_id("scan-page")
    expect(pages).to_have_count(1)
    expect(status).to_contain_text("Page 1 ajoutée")
    keep = scan.get_by_role("button", name="Garder cette page (page 1)")
    expect(keep).to_be_focused()
    keep.click()
    expect(pages.first).to_contain_text("Gardée")
    next_page = scan.get_by_role("button", name="Photographier la page suivante")
    expect(next_page).to_be_focused()

    # Page 2, blurred: taken again, then kept with the keyboard.
    shoot_with(page, next_page, blurred)
    expect(pages).to_have_count(2)
    expect(status).to_contain_text("Page 2 ajoutée")
    shoot_with(page, scan.get_by_role("button", name="Reprendre (page 2)"), landscape)
    expect(status).to_contain_text("Page 2 reprise")
    expect(pages).to_have_count(2)
    expect(scan.get_by_role("button", name="Garder cette page (page 2)")).to_be_focused()
    page.keyboard.press("Enter")
    expect(pages.nth(1)).to_contain_text("Gardée")

    # Page 3, photographed sideways: turned a quarter to the right.
    shoot_with(page, next_page, sideways)
    expect(pages).to_have_count(3)
    turn = scan.get_by_role("button", name="Tourner (page 3)")
    turn.click()
    expect(status).to_contain_text("Page 3 tournée d'un quart de tour vers la droite")
    expect(turn).to_be_focused()
    expect(pages.nth(2).get_by_role("img")).to_have_attribute(
        "alt", "Page 3, tournée d'un quart de tour vers la droite")
    expect(scan.get_by_test_id("scan-count")).to_contain_text("3 pages")

    sent = uploads_sent(page)
    with page.expect_response(lambda r: r.url.endswith("/confirm") and r.ok,
                              timeout=60_000) as confirmed:
        scan.get_by_role("button", name="Terminer et joindre").dblclick()  # one PDF all the same
    upload_id = confirmed.value.json()["id"]
    files = page.get_by_test_id("upload-file")
    expect(files).to_have_count(1)
    expect(files.first).to_contain_text("document-photographie-1.pdf")
    expect(files.first).to_contain_text("Fichier prêt")
    expect(scan.get_by_test_id("scan-panel")).to_be_hidden()
    expect(scan.get_by_role("button", name="Photographier un document")).to_be_focused()
    # One upload, one file: the ticket, then its confirmation.
    assert [re.sub(r".*/support/uploads", "", u) for u in sent] == ["", f"/{upload_id}/confirm"]

    stored = stored_upload(stack, upload_id)
    (tmp_path / "scan.pdf").write_bytes(stored)
    made = pdf_pages(stored)
    assert len(made) == 3
    # 1: portrait A4, the photo reduced to 1600 px on its longest side, upright.
    assert (made[0]["width"], made[0]["height"]) == pytest.approx(A4, abs=0.01)
    assert made[0]["image"].size == (1200, 1600)
    assert red_corner(made[0]["image"]) == "top-left"
    # 2: the retaken page (a landscape PNG), on a landscape A4, not the blurred one.
    assert (made[1]["width"], made[1]["height"]) == pytest.approx(A4[::-1], abs=0.01)
    assert made[1]["image"].size == (1500, 1000)
    # 3: turned a quarter to the right: upright, its top left corner now at the top right.
    assert (made[2]["width"], made[2]["height"]) == pytest.approx(A4, abs=0.01)
    assert made[2]["image"].size == (1200, 1600)
    assert red_corner(made[2]["image"]) == "top-right"


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_computer_keeps_the_file_picker_alone(page):
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url))
    login(page)
    page.goto(PAGE)
    expect(page.get_by_label("Factures, feuilles de soins ou prescriptions")).to_be_attached()
    expect(page.locator("#dem-files-hint")).to_contain_text("Jusqu'à")
    expect(page.get_by_role("button", name="Photographier un document")).to_have_count(0)
    expect(page.get_by_test_id("scan")).to_have_count(0)
    assert not [u for u in loaded if "camera-scan" in u or "scan-pdf" in u]


@PHONE
def test_what_is_not_a_picture_too_many_pages_and_too_heavy_are_refused_nothing_sent(
        page, tmp_path):
    small = photo(tmp_path / "page.jpg", 300, 400)
    noisy = [photo(tmp_path / f"bruit-{n}.jpg", 500 + n, 700, noise=True) for n in range(3)]
    not_a_picture = tmp_path / "facture.jpg"
    not_a_picture.write_bytes(b"%PDF-1.4 this is no picture at all\n")
    # A limit of 200 KB per file, as the API would publish it: three photos of noise exceed it
    # even at the strongest reduction (one fits once a little reduced).
    page.route("**/support/uploads/limits", lambda route: route.fulfill(
        response=(answer := route.fetch()),
        body=json.dumps({**answer.json(), "max_bytes": 200 * 1024})))
    open_form(page)
    scan = page.get_by_test_id("scan")
    camera = scan.get_by_test_id("scan-camera")
    sent = uploads_sent(page)

    # Not a picture: refused with a message, the pages already taken stay.
    camera.set_input_files(str(small))
    camera.set_input_files(str(not_a_picture))
    message = scan.get_by_test_id("scan-message")
    expect(message).to_contain_text("« facture.jpg » n'est pas une photo lisible")
    expect(message).to_contain_text("aucune page n'a été ajoutée")
    expect(scan.get_by_test_id("scan-page")).to_have_count(1)
    expect(scan.get_by_role("button", name="Photographier la page suivante")).to_be_focused()

    # Ten pages at most: the button to take another is off, and a photo past it is refused.
    for _ in range(9):
        camera.set_input_files(str(small))
    expect(scan.get_by_test_id("scan-page")).to_have_count(10)
    expect(scan.get_by_role("button", name="Photographier la page suivante")).to_be_disabled()
    camera.set_input_files(str(small))
    expect(message).to_contain_text("10 pages au plus par document")
    expect(scan.get_by_test_id("scan-page")).to_have_count(10)

    # Too heavy even at the strongest reduction: refused, with what to do; nothing sent.
    scan.get_by_role("button", name="Annuler ces photos").click()
    expect(scan.get_by_test_id("scan-panel")).to_be_hidden()
    expect(page.locator("#dem-files-status")).to_contain_text("rien n'a été joint")
    for picture in noisy:
        camera.set_input_files(str(picture))
    expect(scan.get_by_test_id("scan-page")).to_have_count(3)
    scan.get_by_role("button", name="Terminer et joindre").click()
    expect(message).to_contain_text("Même réduit au plus, ce document de 3 pages pèserait",
                                    timeout=60_000)
    expect(message).to_contain_text("la limite est de 200 Ko par fichier. Retirez des pages")
    expect(scan.get_by_test_id("scan-page")).to_have_count(3)
    expect(page.get_by_test_id("upload-file")).to_have_count(0)
    assert sent == []

    # With one page fewer it fits: the member follows the advice, and it is sent.
    scan.get_by_role("button", name="Retirer (page 3)").click()
    scan.get_by_role("button", name="Retirer (page 2)").click()
    scan.get_by_role("button", name="Terminer et joindre").click()
    expect(page.get_by_test_id("upload-file")).to_contain_text("Fichier prêt", timeout=60_000)
    assert len(sent) == 2
