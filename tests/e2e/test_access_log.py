"""Issue 20, in Chromium on a computer and a phone: an advisor opens a member's file outside her
queue, giving a reason, and the member sees that opening on « Qui a consulté mon dossier »; a
member closes another session of hers from « Mes appareils et sessions », and the device of
that session is sent back to sign in."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import FATIMA, VIEWPORTS, login
from tests.e2e.helpers import api, settled

# Another browser than the test's Chromium, as the sessions list words it.
FIREFOX = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 "
           "Firefox/128.0")


def test_an_advisor_opens_a_file_with_a_reason_and_the_member_sees_that_opening(page, advisor):
    login(page, FATIMA)
    expect(page).to_have_url(re.compile(r"/espace/"))
    number = api(page, "GET", "/members/me")["member_number"]
    note = f"Courrier reçu le {uuid.uuid4().hex[:6]}"

    # Without a request, a message or a call-back of her team's, the file asks why first.
    advisor.goto(f"/conseiller/dossier/?adherent={number}")
    expect(advisor.get_by_role("heading", name="Pourquoi ouvrez-vous ce dossier ?")).to_be_visible()
    expect(advisor.locator("#file-recorded")).to_contain_text(
        "l'adhérent la voit dans son espace")
    advisor.get_by_role("button", name="Ouvrir le dossier").click()
    expect(advisor.get_by_text("Choisissez le motif de l'ouverture.").first).to_be_visible()
    expect(advisor.get_by_test_id("member-file")).to_be_empty()

    # From the workspace's home: « Ouvrir un dossier » with the number, a reason and a note.
    advisor.goto("/conseiller/")
    form = advisor.locator("#open-file-form")
    form.get_by_label("N° d'adhérent").fill(number)
    form.get_by_label("Motif").select_option(label="Réclamation")
    form.get_by_label("Précision (obligatoire avec « Autre »)").fill(note)
    form.get_by_role("button", name="Ouvrir le dossier").click()
    expect(advisor).to_have_url(re.compile(r"/conseiller/dossier/\?adherent="))
    opened = advisor.get_by_test_id("member-file")
    expect(opened.get_by_role("heading", name=re.compile("Dossier de Fatima"))).to_be_visible()
    expect(advisor.get_by_test_id("file-opened-for")).to_contain_text(
        f"Motif : Réclamation — {note}")
    expect(opened.get_by_text("Équilibre")).to_be_visible()

    # Fatima, from « Mes infos perso »: the opening, who, when and why.
    page.goto("/espace/infos/")
    page.locator("#access-links").get_by_role("link", name="Qui a consulté mon dossier").click()
    expect(page).to_have_url(re.compile(r"/espace/infos/consultations/$"))
    row = page.get_by_test_id("opening-row").filter(has_text=note)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("opening-advisor")).to_have_text("Camille R.")
    expect(row.get_by_test_id("opening-why")).to_have_text(f"Motif : Réclamation — {note}")
    expect(row).to_contain_text(re.compile(r"\d{1,2}(er)? [a-zéû]+ \d{4} à \d{2}:\d{2}"))
    expect(page.get_by_role("link", name="dpo@clairval.example")).to_be_visible()


def test_a_member_closes_another_session_and_that_device_must_sign_in_again(
        page, browser, stack, viewport):
    login(page, FATIMA)
    expect(page).to_have_url(re.compile(r"/espace/"))
    # Her other device: another browser context, another sign-in.
    other = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                timezone_id="Europe/Paris", user_agent=FIREFOX,
                                **VIEWPORTS[viewport])
    try:
        elsewhere = other.new_page()
        login(elsewhere, FATIMA)
        expect(elsewhere).to_have_url(re.compile(r"/espace/"))
        elsewhere.goto("/espace/infos/appareils/")
        mine = elsewhere.get_by_test_id("session-row").filter(
            has=elsewhere.get_by_test_id("session-current"))
        expect(mine).to_contain_text("Firefox sur Windows")

        page.goto("/espace/infos/")
        page.locator("#access-links").get_by_role(
            "link", name="Mes appareils et sessions").click()
        expect(page).to_have_url(re.compile(r"/espace/infos/appareils/$"))
        here = page.get_by_test_id("session-row").filter(has=page.get_by_test_id("session-current"))
        expect(here).to_have_count(1)
        expect(here).to_contain_text("Chrome")
        target = page.get_by_test_id("session-row").filter(has_text="Firefox sur Windows")
        expect(target).to_have_count(1)
        target.get_by_role("button", name=re.compile("Fermer cette session")).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("se ferme aussitôt")
        dialog.get_by_role("button", name="Fermer la session").click()
        expect(page.get_by_text(re.compile(r"Session fermée\s*: Firefox sur Windows"))
               ).to_be_visible()
        expect(page.get_by_test_id("session-row").filter(has_text="Firefox sur Windows")
               ).to_have_count(0)
        settled(page)

        # The closed session's next page: refused at once, back to the sign-in page.
        elsewhere.goto("/espace/remboursements/")
        expect(elsewhere).to_have_url(re.compile(r"/connexion/"))
        # This one goes on.
        page.goto("/espace/infos/appareils/")
        expect(page.get_by_test_id("session-current")).to_have_count(1)
    finally:
        other.close()
