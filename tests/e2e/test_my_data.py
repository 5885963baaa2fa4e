"""« Mes connexions et mes données », on a computer and on a phone: Fatima sees her sign-ins
(this one marked), asks for all her data, waits for it on the page (the local stack's queue
poller runs the worker, as SQS would), gets the email, downloads the ZIP and finds her
reimbursements in it, and nothing of the account's one-time codes."""

import io
import json
import re
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import FATIMA, login_with_form
from tests.e2e.helpers import all_claims, mails_when, open_account_menu, signed_in


def test_fatima_sees_her_sign_ins_and_downloads_her_data(page):
    login_with_form(page)
    signed_in(page)  # the page's scripts have run: the account menu opens
    open_account_menu(page)
    page.locator("#ea-account-menu").get_by_role("link", name="Mes infos perso").click()
    page.get_by_role("link", name="Mes connexions et mes données").click()
    expect(page.get_by_role("heading", level=1, name="Mes connexions et mes données")
           ).to_be_visible()

    rows = page.get_by_test_id("login-row")
    expect(rows.first.get_by_test_id("login-current")).to_have_text("Connexion actuelle")
    expect(page.get_by_test_id("login-current")).to_have_count(1)
    expect(rows.first).to_contain_text("Lieu inconnu")  # no CloudFront country locally
    expect(rows.nth(1)).to_contain_text(re.compile(r"sur (Windows|Android|Linux|macOS|iOS)"))

    page.get_by_role("button", name=re.compile(r"^Demander (à nouveau )?mes données$")).click()
    state = page.get_by_test_id("export-status")
    expect(state).to_contain_text(re.compile("Préparation en cours|Prêt"))
    download_button = page.get_by_role("button", name="Télécharger le fichier")
    expect(download_button).to_be_visible(timeout=60_000)  # polled by the page
    mails = mails_when(page, lambda ms: any(FATIMA[0] in m["to"] and "données" in m["subject"]
                                            for m in ms))
    assert any(FATIMA[0] in m["to"] and "données" in m["subject"] for m in mails)

    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert re.fullmatch(r"mes-donnees-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    names = archive.namelist()
    assert "LISEZMOI.txt" in names and "profil.json" in names
    reimbursements = json.loads(archive.read("remboursements.json"))
    ids = {claim["id"] for claim in reimbursements}
    assert {claim["id"] for claim in all_claims(page)[:20]} <= ids
    fhir = json.loads(archive.read("fhir.json"))  # the same, portable to another insurer
    assert fhir["resourceType"] == "Bundle"
    assert ids <= {e["resource"]["id"] for e in fhir["entry"]}
    everything = "".join(archive.read(n).decode("utf-8", "replace") for n in names
                         if n.endswith(".json"))
    assert "code_hash" not in everything
