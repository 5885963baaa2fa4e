"""« Mes infos perso » and the account's life, on a computer and on a phone: Fatima edits her
details (and is told when another device changed them first); a member who had no account
creates hers, changes her email with the code sent there, changes her password and signs in
with it, then forgets it and chooses a new one. Codes are read on the local stack's
« Courriels envoyés » page, as a tester would."""

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import FATIMA, login_with_form
from tests.e2e.helpers import api, mails_when, open_account_menu, open_section

# The seeded members without an account (infra/local/seed_accounts.py): one per viewport, so
# each run creates a new account.
NEWCOMERS = {"desktop": ("2025000318", "1979-02-17", "claire.d@example.fr"),
             "phone": ("2025000529", "1995-08-30", "hugo.g@example.fr")}


def mailed_code(page, to: str, subject: str) -> str:
    """The 6-digit code of the newest email to `to` with `subject`, read on « Courriels
    envoyés » in another tab."""
    mailbox = page.context.new_page()
    mailbox.goto("/local/courriels/")
    mail = mailbox.locator("article.mail").filter(has_text=to).filter(
        has=mailbox.get_by_role("heading", name=subject)).first
    found = re.search(r"\b(\d{6})\b", mail.locator("pre").text_content())
    mailbox.close()
    assert found, f"no code in the email to {to}"
    return found.group(1)


def open_my_infos(page):
    open_account_menu(page)
    page.locator("#ea-account-menu").get_by_role("link", name="Mes infos perso").click()
    expect(page.get_by_role("heading", level=1, name="Mes infos perso")).to_be_visible()


def test_fatima_edits_her_details_and_is_told_of_a_change_made_elsewhere(page, viewport):
    phone = "07 98 76 54 32" if viewport == "desktop" else "07 11 22 33 44"
    login_with_form(page)
    expect(page).to_have_url(re.compile(r"/espace/"))
    # From the member menu (left column on a computer, bottom bar on a phone).
    open_section(page, "Mes infos perso")
    expect(page.get_by_role("heading", level=1, name="Mes infos perso")).to_be_visible()
    details = page.get_by_test_id("details")
    expect(details).to_contain_text("2024001871")
    expect(page.get_by_test_id("email")).to_contain_text(FATIMA[0])
    people = page.get_by_test_id("beneficiary")
    # Her family as her file has it now (another journey of this run may have added a child).
    expect(people).to_have_count(len(api(page, "GET", "/members/me")["beneficiaries"]))
    expect(people.first).to_contain_text(re.compile(r"FR\d\d[ •*]"))
    expect(page.get_by_role("link", name="Mes connexions et mes données")).to_be_visible()

    page.get_by_role("button", name="Modifier mes coordonnées").click()
    postcode = page.get_by_label("Code postal")
    postcode.fill("00100")  # five digits, but no French postcode: the API says so
    page.get_by_label("Téléphone (facultatif)").fill(phone)
    page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    expect(page.locator("#details-errors")).to_be_focused()
    expect(postcode).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#details-postcode-erreur")).to_contain_text("code postal")
    postcode.fill("69001")

    # Meanwhile, on another device, her profile changes.
    profile = api(page, "GET", "/members/profile", expect_status=200)
    api(page, "PUT", "/members/profile", {
        "version": profile["version"], "address": {
            k: profile["address"][k] for k in ("line1", "line2", "postcode", "city")},
        "phone": "01 23 45 67 89", "preferences": profile["preferences"]}, expect_status=200)
    page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    stale = page.locator("#details-error")
    expect(stale).to_contain_text("modifiées entre-temps")
    page.get_by_role("button", name="Recharger mes informations").click()
    expect(details).to_contain_text("01 23 45 67 89")  # what the other device saved

    page.get_by_role("button", name="Modifier mes coordonnées").click()
    page.get_by_label("Téléphone (facultatif)").fill(phone)
    page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    expect(page.get_by_text("Vos coordonnées sont enregistrées.")).to_be_visible()
    expect(details).to_contain_text(phone)
    page.reload()
    expect(page.get_by_test_id("details")).to_contain_text(phone)


def test_a_member_creates_her_account_changes_email_and_password_then_resets_it(
        page, viewport):
    number, birth, email = NEWCOMERS[viewport]
    tag = uuid.uuid4().hex[:6]
    new_email = f"{email.split('@')[0]}.{tag}@example.fr"
    first, second, third = (f"Une phrase de passe {n} {tag}" for n in ("un", "deux", "trois"))

    # « Je n'ai pas encore de compte », from the sign-in page.
    page.goto("/connexion/")
    page.get_by_role("link", name="Je n'ai pas encore de compte").click()
    page.get_by_label("Numéro d'adhérent").fill(number)
    page.get_by_label("Date de naissance").fill(birth)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_role("button", name="Recevoir un code").click()
    expect(page.get_by_text("Si ces informations correspondent")).to_be_visible()
    page.get_by_label("Code reçu par e-mail").fill(
        mailed_code(page, email, "Votre code pour créer votre espace adhérent"))
    page.get_by_label("Choisissez un mot de passe").fill(first)
    page.get_by_label("Mot de passe, une seconde fois").fill(first)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(re.compile(r"/espace/"))  # signed in at once

    # A new email address, confirmed with the code sent there; the old one is told.
    open_my_infos(page)
    page.get_by_role("button", name="Changer d'adresse e-mail").click()
    page.get_by_label("Nouvelle adresse e-mail").fill(new_email)
    page.get_by_label("Votre mot de passe").fill("pas le sien")  # a stolen session alone
    page.get_by_role("button", name="Recevoir un code").click()
    expect(page.locator("#email-errors")).to_contain_text("mot de passe")
    page.get_by_label("Votre mot de passe").fill(first)
    page.get_by_role("button", name="Recevoir un code").click()
    code_field = page.get_by_label("Code reçu par e-mail")
    expect(code_field).to_be_focused()
    code = mailed_code(page, new_email, "Confirmez votre nouvelle adresse e-mail")
    # The address in use is told as soon as the change is asked, before the code is typed.
    told = [m["subject"] for m in page.request.get(
        "/local/courriels.json").json()["items"] if email in m["to"]]
    assert "Demande de changement de votre adresse e-mail" in told
    code_field.fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Confirmer ma nouvelle adresse").click()
    expect(page.locator("#email-code-error")).to_contain_text("n'est pas le bon")
    code_field.fill(code)
    page.get_by_role("button", name="Confirmer ma nouvelle adresse").click()
    expect(page.get_by_text(f"connectez-vous désormais avec {new_email}")).to_be_visible()
    expect(page.get_by_test_id("email")).to_contain_text(new_email)
    def told(ms):
        return any(email in m["to"] and "adresse e-mail a été changée" in m["subject"].lower()
                   and new_email not in m["body"] for m in ms)

    assert told(mails_when(page, told)), "the old address is not told"

    # A new password: every session closes, she signs in with the new one.
    page.get_by_label("Mot de passe actuel").fill(first)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(second)
    page.get_by_label("Nouveau mot de passe, une seconde fois").fill(second)
    page.get_by_role("button", name="Changer mon mot de passe").click()
    expect(page).to_have_url(re.compile(r"/connexion/\?motdepasse=1"))
    expect(page.get_by_text("Votre mot de passe est changé")).to_be_visible()
    login_with_form(page, (new_email, second))
    expect(page).to_have_url(re.compile(r"/espace/"))
    open_account_menu(page)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))

    # Forgotten: a code to her address, a new password, and she is in again.
    page.get_by_role("link", name="Mot de passe oublié ?").first.click()
    page.get_by_label("Adresse e-mail de connexion").fill(new_email)
    page.get_by_role("button", name="Recevoir un code").click()
    expect(page.get_by_text("Si un compte existe avec cette adresse")).to_be_visible()
    page.get_by_label("Code reçu par e-mail").fill(
        mailed_code(page, new_email, "Votre code pour choisir un nouveau mot de passe"))
    page.get_by_label("Nouveau mot de passe", exact=True).fill(third)
    page.get_by_label("Nouveau mot de passe, une seconde fois").fill(third)
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()
    expect(page.get_by_role("heading", name="Mot de passe changé")).to_be_focused()
    page.get_by_role("link", name="Me connecter").click()
    login_with_form(page, (new_email, second))
    expect(page.get_by_test_id("login-error")).to_be_visible()
    page.get_by_label("Mot de passe", exact=True).fill(third)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace/"))
