"""A trusted person (procuration), as the people involved click: Fatima invites a relative from
« Mes procurations », the code arrives by email, the relative accepts (with her account, or
one she creates from the invitation), switches to Fatima's space under the « Vous agissez
pour … » banner, sees what her scope opens and nothing else, and what she sends shows as « par
… pour … »; Fatima ends it and the relative's next click is refused, back in her own space."""

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import VIEWPORTS, login
from tests.e2e.helpers import (
    COUNT_FETCHES,
    ONE_VIEWPORT,
    mails_when,
    open_account_menu,
    open_section,
)
from tests.e2e.test_accessibility import check

MARC = ("marc.l@example.fr", "Demo-Adherent-2026!")
INVITATION = re.compile(r"/connexion/procuration/\?invitation=([A-Za-z0-9-]+)")
CODE = re.compile(r"code d'invitation : ([A-Z0-9]{8})")


def other_person(browser, stack, viewport):
    """Another person on another device: a browser context of her own."""
    # bypass_csp: the accessibility checks inject axe-core, nothing else changes.
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", bypass_csp=True,
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(20_000)
    context.add_init_script(COUNT_FETCHES)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def invite(page, first: str, last: str, email: str, scope: str, *, days: int = 90) -> None:
    """Fatima fills « Donner une procuration », checks the summary, sends the invitation."""
    page.goto("/espace/infos/procurations/")
    expect(page.get_by_test_id("procurations-given")).to_have_attribute("aria-busy", "false")
    page.get_by_label("Prénom de votre proche").fill(first)
    page.get_by_label("Nom de votre proche", exact=True).fill(last)
    page.get_by_label("Son adresse e-mail").fill(email)
    page.get_by_label(scope, exact=True).check()
    page.get_by_label("Jusqu'au (inclus)").fill((clock.today() + timedelta(days=days)).isoformat())
    page.get_by_role("button", name="Vérifier avant d'envoyer").click()
    summary = page.locator("#give-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(f"{first} {last}")
    expect(summary).to_contain_text(scope)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    card = page.get_by_test_id("procuration-given").filter(
        has_text=f"{first} {last[0]}.").filter(has_text="Invitation envoyée")
    expect(card).to_have_count(1)


def sent_ids(page) -> set[str]:
    return {m["id"] for m in page.request.get("/local/courriels.json").json()["items"]}


def invitation_of(page, email: str, before: set[str]) -> tuple[str, str]:
    """The invitation sent to `email` since `before` (the ids already sent): its link (path)
    and its code. Emails leave through the outbox, a moment after the invitation."""
    def found(mails):
        return [m for m in mails
                if m["id"] not in before and email in m["to"] and CODE.search(m["body"])]

    mails = found(mails_when(page, found))
    assert mails, f"no invitation sent to {email}"
    body = mails[0]["body"]
    return INVITATION.search(body).group(0), CODE.search(body).group(1)


def test_marc_acts_for_fatima_until_she_ends_it(page, advisor, browser, stack, viewport):
    login(page)
    before = sent_ids(page)
    invite(page, "Marc", "Lambert", MARC[0],
           "Consulter et envoyer des demandes et des messages pour moi")
    link, code = invitation_of(page, MARC[0], before)

    context, marc, errors = other_person(browser, stack, viewport)
    try:
        # Marc's account has no file of its own: he lands on the list of spaces he may open.
        login(marc, MARC)
        expect(marc).to_have_url(re.compile(r"/espace/choisir/$"))
        expect(marc.get_by_role("link", name="Ouvrir mon espace")).to_be_hidden()
        expect(marc.get_by_role("navigation", name="Menu de mon espace")).to_have_count(0)

        # The invitation's link, signed in: a wrong code says how many tries are left.
        marc.goto(link)
        marc.locator("#accept-section").get_by_label("Code de l'invitation").fill("AAAA2222")
        marc.get_by_role("button", name="Accepter la procuration").click()
        expect(marc.locator("#accept-error")).to_contain_text("Il vous reste 4 essais")
        marc.locator("#accept-section").get_by_label("Code de l'invitation").fill(code.lower())
        marc.get_by_role("button", name="Accepter la procuration").click()
        expect(marc.get_by_role("heading", name="Procuration acceptée")).to_be_visible()
        marc.get_by_role("button", name="Ouvrir son espace").click()

        # Fatima's space, said on every page; her reimbursements; nothing of her credentials.
        expect(marc).to_have_url(re.compile(r"/espace/remboursements/"))
        banner = marc.get_by_test_id("acting-banner")
        expect(banner).to_contain_text("Vous agissez pour Fatima L. (procuration")
        expect(marc.get_by_test_id("claim-row").first).to_be_visible()
        check(marc, "/espace/remboursements/", " (procuration)")
        nav = marc.get_by_role("navigation", name="Menu de mon espace")
        expect(nav.get_by_role("link", name="Mes infos perso")).to_have_count(0)
        open_account_menu(marc)
        expect(marc.get_by_role("button", name="Mes procurations reçues")).to_be_visible()
        marc.keyboard.press("Escape")

        # He writes to an advisor for her (scope « act »).
        subject = f"Question pour ma mère {uuid.uuid4().hex[:6]}"
        open_section(marc, "Contact & aide")
        expect(banner).to_be_visible()
        marc.get_by_label("Objet de votre message").fill(subject)
        marc.get_by_label("Votre message", exact=True).fill(
            "Bonjour, où en est son remboursement d'optique ?")
        marc.get_by_role("button", name="Envoyer mon message").click()
        expect(marc.get_by_text("Message envoyé")).to_be_visible()

        # Fatima sees it in her messages, labelled.
        page.goto("/espace/contact/")
        page.get_by_test_id("thread-row").filter(has_text=subject).get_by_role("link").click()
        expect(page.get_by_test_id("message").first.get_by_test_id("by-label")).to_have_text(
            "(par Marc L. pour Fatima L.)")
        # And so does the advisor who answers it.
        advisor.goto("/conseiller/messages/")
        advisor.get_by_test_id("advisor-thread-row").filter(has_text=subject) \
            .get_by_role("link", name=subject).click()
        expect(advisor.get_by_test_id("message").first.get_by_test_id("by-label")).to_have_text(
            "(par Marc L. pour Fatima L.)")

        # She ends it now; Marc's next click is refused, and he is back in his own space.
        page.goto("/espace/infos/procurations/")
        card = page.get_by_test_id("procuration-given").filter(has_text="Active")
        card.get_by_role("button", name="Mettre fin maintenant").click()
        page.get_by_role("dialog").get_by_role("button", name="Mettre fin maintenant").click()
        expect(page.get_by_test_id("procuration-given").filter(has_text="Active")).to_have_count(0)

        open_section(marc, "Mon contrat")
        expect(marc).to_have_url(re.compile(r"/espace/choisir/$"))
        expect(marc.get_by_test_id("acting-notice")).to_contain_text("pris fin")
        check(marc, "/espace/choisir/", " (procuration terminée)")
        expect(marc.get_by_test_id("acting-banner")).to_be_hidden()
        assert marc.evaluate("() => sessionStorage.getItem('ea.acting')") is None
        assert not errors, errors
    finally:
        context.close()


@ONE_VIEWPORT
def test_a_new_account_from_the_invitation_only_reads_then_renounces(page, browser, stack,
                                                                     viewport):
    email = f"lucie.{uuid.uuid4().hex[:8]}@example.fr"
    login(page)
    invite(page, "Lucie", "Bernard", email, "Consulter mon espace")
    link, code = invitation_of(page, email, set())

    context, lucie, errors = other_person(browser, stack, viewport)
    try:
        # Not signed in, no account: she creates one with the code, the same password rules.
        lucie.goto(link)
        lucie.get_by_role("button", name="Je n'ai pas de compte : en créer un").click()
        lucie.get_by_label("Votre adresse e-mail").fill(email)
        lucie.locator("#create-section").get_by_label("Code de l'invitation").fill(code)
        lucie.get_by_label("Choisissez un mot de passe").fill("trop court")
        lucie.get_by_label("Mot de passe, une seconde fois").fill("trop court")
        lucie.get_by_role("button", name="Créer mon compte et accepter").click()
        expect(lucie.locator("#create-errors")).to_contain_text("12 caractères au moins")
        password = "Une phrase assez longue 2026"
        lucie.get_by_label("Choisissez un mot de passe").fill(password)
        lucie.get_by_label("Mot de passe, une seconde fois").fill(password)
        lucie.get_by_role("button", name="Créer mon compte et accepter").click()
        expect(lucie.get_by_role("heading", name="Procuration acceptée")).to_be_visible()
        lucie.get_by_role("button", name="Ouvrir son espace").click()

        # Read only: she sees, and nothing that sends is offered.
        expect(lucie.get_by_test_id("acting-banner")).to_contain_text("consultation seulement")
        expect(lucie.get_by_test_id("claim-row").first).to_be_visible()
        expect(lucie.get_by_role("link", name="Demander un remboursement")).to_have_count(0)
        lucie.goto("/espace/contact/")
        expect(lucie.get_by_test_id("acting-banner")).to_be_visible()
        expect(lucie.get_by_role("heading", name="Mes messages")).to_be_visible()
        expect(lucie.get_by_label("Objet de votre message")).to_be_hidden()
        lucie.goto("/espace/demandes/")
        expect(lucie.get_by_role("link", name="Faire une autre demande")).to_be_hidden()
        # A sending page typed in the address bar: her scope does not open it.
        lucie.goto("/espace/demande-remboursement/")
        expect(lucie).to_have_url(re.compile(r"/espace/remboursements/"))
        expect(lucie.get_by_test_id("acting-notice")).to_contain_text(
            "pas ouverte aux personnes de confiance")

        # She renounces from her list of spaces; Fatima's list says it has ended.
        lucie.get_by_test_id("acting-back").click()
        expect(lucie).to_have_url(re.compile(r"/espace/choisir/$"))
        lucie.get_by_role("button", name="Renoncer à la procuration de Fatima L.").click()
        lucie.get_by_role("dialog").get_by_role("button", name="Renoncer").click()
        expect(lucie.get_by_test_id("procuration-received")).to_have_count(0)
        page.reload()
        expect(page.get_by_test_id("procuration-given").filter(has_text="Lucie B.")
               .filter(has_text="Terminée")).to_have_count(1)
        assert not errors, errors
    finally:
        context.close()


@ONE_VIEWPORT
def test_an_invitation_is_locked_after_five_wrong_codes(page, browser, stack, viewport):
    email = f"jules.{uuid.uuid4().hex[:8]}@example.fr"
    login(page)
    invite(page, "Jules", "Martin", email, "Consulter mon espace")
    link, code = invitation_of(page, email, set())

    context, jules, errors = other_person(browser, stack, viewport)
    try:
        jules.goto(link)
        jules.get_by_role("button", name="Je n'ai pas de compte : en créer un").click()
        jules.get_by_label("Votre adresse e-mail").fill(email)
        jules.get_by_label("Choisissez un mot de passe").fill("Une phrase assez longue 2026")
        jules.get_by_label("Mot de passe, une seconde fois").fill("Une phrase assez longue 2026")
        wrong = "BBBB3333" if code != "BBBB3333" else "CCCC4444"
        for left in (4, 3, 2, 1):
            jules.locator("#create-section").get_by_label("Code de l'invitation").fill(wrong)
            jules.get_by_role("button", name="Créer mon compte et accepter").click()
            expect(jules.locator("#create-error")).to_contain_text(
                f"Il vous reste {left} essai")
        jules.locator("#create-section").get_by_label("Code de l'invitation").fill(wrong)
        jules.get_by_role("button", name="Créer mon compte et accepter").click()
        final = jules.get_by_test_id("invitation-final")
        expect(final).to_contain_text("Trop d'essais")
        expect(jules.locator("#create-form")).to_be_hidden()
        # Even the right code is refused now: nothing was created.
        jules.goto(link)
        jules.get_by_role("button", name="Je n'ai pas de compte : en créer un").click()
        jules.get_by_label("Votre adresse e-mail").fill(email)
        jules.locator("#create-section").get_by_label("Code de l'invitation").fill(code)
        jules.get_by_label("Choisissez un mot de passe").fill("Une phrase assez longue 2026")
        jules.get_by_label("Mot de passe, une seconde fois").fill("Une phrase assez longue 2026")
        jules.get_by_role("button", name="Créer mon compte et accepter").click()
        expect(jules.get_by_test_id("invitation-final")).to_be_visible()
        assert not errors, errors
    finally:
        context.close()
