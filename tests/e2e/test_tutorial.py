"""The interactive tutorial in Chromium, desktop and phone, driven by the tour files themselves
(site/tours/): every ready tour walked to its end on its real page, each step's target visible,
in the window and usable; « Essayer » from the tutorial in discovery mode (no request carrying
personal data, nothing kept once the tab is closed) and signed in; the welcome tour offered
once; the printable version with every section."""

from __future__ import annotations

import json
import re
import sys
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, VIEWPORTS, login_with_form
from tests.e2e.helpers import COUNT_FETCHES, open_account_menu, settled

sys.path.insert(0, str(ROOT / "site"))
from hooks.tours import SECTIONS, load_tours  # noqa: E402

TOURS = load_tours(ROOT / "site" / "tours")
READY = [t for t in TOURS.values() if t.ready]
# The tutorial pages that explain at least one ready tour (the others wait for their pages).
TRY_PAGES = ["/tutoriel/", *(f"/tutoriel/{slug}/" for slug in SECTIONS
                             if any(t.section == slug for t in READY if not t.welcome))]


def signed_in(page) -> None:
    """Signed in, on the landing page with its reimbursements (a loaded machine is slow)."""
    expect(page.get_by_test_id("claim-row").first).to_be_visible(timeout=30_000)


def usable(page, target, where: str = "") -> None:
    """The target is shown, inside the window, and a tap on a visible part of it reaches it —
    once the page has settled (its lists loaded) and the highlight has followed what the
    loading moved: until then the overlay's cut-out may still be where the target was."""
    expect(target).to_be_visible()
    settled(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    hit = page.evaluate("""(el) => {
        const r = el.getBoundingClientRect(), vw = innerWidth, vh = innerHeight;
        const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
        const left = Math.max(r.left, 0), right = Math.min(r.right, vw);
        if (bottom - top < 8 || right - left < 8) return {inside: false};
        const pop = document.querySelector('.driver-popover')?.getBoundingClientRect();
        for (let i = 1; i < 6; i++) for (let j = 1; j < 6; j++) {
            const x = left + (right - left) * i / 6, y = top + (bottom - top) * j / 6;
            if (pop && x >= pop.left && x <= pop.right && y >= pop.top && y <= pop.bottom) continue;
            const at = document.elementFromPoint(x, y);
            if (at && (at === el || el.contains(at))) {
                return {inside: true, reached: true, disabled: !!el.closest('[disabled],[inert]')};
            }
        }
        return {inside: true, reached: false};
    }""", target.element_handle())
    assert hit["inside"], f"the target is outside the window {where}"
    assert hit["reached"], f"nothing of the target can be tapped (covered) {where}"
    assert not hit["disabled"]


def walk(page, tour, viewport: str) -> None:
    """Follows the tour to its end with « Suivant », checking each step as the file says."""
    steps = tour.steps_for(viewport)
    popover = page.locator(".driver-popover")
    for number, step in enumerate(steps, start=1):
        # A step waits for its target (a list still loading): give a loaded machine time.
        expect(popover).to_be_visible(timeout=20_000)
        expect(popover).to_have_attribute("data-tour-step", step.target, timeout=20_000)
        expect(popover.locator(".driver-popover-progress-text")).to_have_text(
            f"Étape {number} sur {len(steps)}")
        expect(popover.locator(".driver-popover-title")).to_have_text(step.title)
        expect(popover).to_have_attribute("role", "dialog")
        target = page.locator(".driver-active-element")
        expect(target).to_have_attribute("data-tour", step.target)
        usable(page, target, f"({tour.id}, step {number}: {step.target})")
        expect(page.locator("[data-tour-live]")).to_contain_text(
            f"étape {number} sur {len(steps)} : {step.title}")
        button = popover.locator(".driver-popover-next-btn")
        expect(button).to_be_focused()
        expect(button).to_have_text("Terminer" if number == len(steps) else "Suivant")
        expect(popover).to_have_attribute("data-tour-settled", "true")
        button.click()
    expect(popover).to_have_count(0)
    expect(page.locator("[data-tour-live]")).to_have_count(0)


def _watch(page) -> list[str]:
    """Requests that could carry something of a person: the API (but the public estimate),
    Cognito. The static site (pages, scripts, the demo snapshot) is not."""
    bad: list[str] = []

    def check(request):
        path = urlsplit(request.url).path
        if path.startswith("/api/") and path != "/api/public/estimates" or \
                path.startswith(("/cognito", "/s3/")):
            bad.append(f"{request.method} {request.url}")

    page.on("request", check)
    return bad


def _nothing_kept(context, page) -> None:
    assert page.evaluate("Object.keys(localStorage)") == []
    assert set(page.evaluate("Object.keys(sessionStorage)")) <= {"ea.demo"}
    page.close()
    fresh = context.new_page()
    fresh.goto("/tutoriel/")
    assert fresh.evaluate("Object.keys(localStorage)") == []
    assert fresh.evaluate("Object.keys(sessionStorage)") == []
    assert context.cookies() == []



AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP_ONLY = pytest.mark.parametrize("viewport", ["desktop"], indirect=True)


@pytest.fixture
def tour_page(browser, stack, viewport):
    """A tab of the page fixture's kind where axe-core may be injected (the site's CSP forbids
    injected scripts: only this is bypassed), with the same checks: no page error, no error in
    the console, no third-party request."""
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  timezone_id="Europe/Paris", bypass_csp=True,
                                  **VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    context.add_init_script(COUNT_FETCHES)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("request", lambda req: errors.append(f"third-party request: {req.url}")
          if not req.url.startswith((stack["base_url"], "data:", "blob:")) else None)
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and
          "401" not in msg.text and "404" not in msg.text else None)
    yield pg
    context.close()
    assert not errors, f"errors in the page: {errors}"


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def test_the_tour_files_cover_the_sections_and_name_one_welcome_tour():
    assert {t.section for t in TOURS.values()} == set(SECTIONS)
    assert [t.id for t in TOURS.values() if t.welcome] == ["bienvenue"]
    assert {t.id for t in READY} >= {
        "bienvenue", "remboursements", "estimation", "demande-remboursement", "releves",
        "contact", "contrat-carte", "contrat-garanties", "contrat-beneficiaire",
        "contrat-rib-cotisation", "contrat-rib-prestation", "contrat-situation",
        "contrat-portabilite", "demandes-suivi", "documents", "services-localiser",
        "services-teleconsultation", "infos-perso-profil", "infos-perso-mot-de-passe",
        "infos-perso-beneficiaires"}
    assert not [t.id for t in TOURS.values() if not t.ready]


def test_every_tour_walks_to_its_end_signed_in_with_axe_on_each_page(tour_page, viewport):
    """Every ready tour, one after the other in one tab: walked to its end; on each page that
    has a tour, axe-core with the tour open; the keyboard on the first; « Essayer » from the
    tutorial and « Visites guidées » of Contact & aide for a signed-in member."""
    page = tour_page
    login_with_form(page)
    signed_in(page)
    checked: dict[str, list] = {}
    for tour in READY:
        page.goto(f"/{tour.page}?visite={tour.id}")
        popover = page.locator(".driver-popover")
        expect(popover).to_be_visible(timeout=20_000)
        if tour.page not in checked:
            checked[tour.page] = axe_violations(page)
        walk(page, tour, viewport)
        assert "visite=" not in page.url  # a reload does not start it again
        expect(page.locator("[data-demo-banner]")).to_be_hidden()
    problems = {p: v for p, v in checked.items() if v}
    assert not problems, json.dumps(problems, ensure_ascii=False)
    assert {t.page for t in READY} == set(checked)

    # The keyboard: arrows move, Escape closes; the dialog is modal and named.
    tour = TOURS["remboursements"]
    steps = tour.steps_for(viewport)
    page.goto(f"/{tour.page}?visite={tour.id}")
    popover = page.locator(".driver-popover")
    expect(popover).to_have_attribute("aria-modal", "true", timeout=20_000)
    expect(popover.locator(".driver-popover-close-btn")).to_have_attribute(
        "aria-label", "Fermer la visite guidée")
    expect(popover.locator(".driver-popover-prev-btn")).to_be_hidden()
    # driver.js ignores keys until a step's highlight has ended: a fast machine's next frame,
    # a loaded one's later; a person never presses that fast.
    settled = 'data-tour-settled'
    expect(popover).to_have_attribute(settled, "true")
    page.keyboard.press("ArrowRight")
    expect(popover.locator(".driver-popover-title")).to_have_text(steps[1].title)
    expect(popover.locator(".driver-popover-prev-btn")).to_be_visible()
    expect(popover).to_have_attribute(settled, "true")
    page.keyboard.press("ArrowLeft")
    expect(popover.locator(".driver-popover-title")).to_have_text(steps[0].title)
    expect(popover).to_have_attribute(settled, "true")
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    expect(page.locator(".driver-active-element")).to_have_count(0)

    # « Essayer » from the tutorial, signed in: her own space, no demonstration.
    page.goto("/tutoriel/remboursements/")
    link = page.locator('[data-essayer="estimation"]')
    expect(link).not_to_have_attribute("href", re.compile("demo=1"))
    link.click()
    expect(page).to_have_url(re.compile(r"/espace/estimation/"))
    expect(page.locator("[data-demo-banner]")).to_be_hidden()
    walk(page, TOURS["estimation"], viewport)
    # « Visites guidées » of Contact & aide replays any ready tour.
    page.goto("/espace/contact/")
    listed = page.locator("[data-visite]").evaluate_all("a => a.map(x => x.dataset.visite)")
    assert sorted(listed) == sorted(t.id for t in READY)
    page.locator('[data-visite="documents"]').click()
    walk(page, TOURS["documents"], viewport)


def test_essayer_works_in_discovery_mode(page, viewport):
    """Every « Essayer » of every tutorial page, without an account: the real page on the demo
    data under « Démonstration », the tour started; an estimate through the public route, a
    message stopped before it leaves; no request that could carry personal data; nothing kept
    once the tab is closed. On the phone each tour is walked to its end; on a computer its
    first step is checked and the tour closed: the signed-in walks above follow every step on
    both viewports, over Fatima's data, of which the demonstration is a snapshot."""
    bad = _watch(page)
    public = []
    page.on("request", lambda r: public.append(r.method) if "/api/public/estimates" in r.url
            else None)
    walked = []
    for tutorial in TRY_PAGES:
        page.goto(tutorial)
        ids = page.locator("[data-essayer]").evaluate_all("a => a.map(x => x.dataset.essayer)")
        assert ids, f"{tutorial} has no « Essayer »"
        for tour_id in ids:
            page.goto(tutorial)
            link = page.locator(f'[data-essayer="{tour_id}"]')
            expect(link).to_have_attribute("href", re.compile("demo=1"))
            link.click()
            tour = TOURS[tour_id]
            expect(page).to_have_url(re.compile(re.escape(f"/{tour.page}")))
            banner = page.locator("[data-demo-banner]")
            expect(banner).to_be_visible()
            expect(banner).to_contain_text("Démonstration")
            if viewport == "phone":
                walk(page, tour, viewport)
            else:
                first = tour.steps_for(viewport)[0]
                popover = page.locator(".driver-popover")
                expect(popover).to_have_attribute("data-tour-step", first.target,
                                                  timeout=20_000)
                expect(popover.locator(".driver-popover-title")).to_have_text(first.title)
                expect(popover).to_have_attribute("data-tour-settled", "true")
                page.keyboard.press("Escape")
                expect(popover).to_have_count(0)
            walked.append(tour_id)
    assert set(walked) >= {t.id for t in READY if not t.welcome}

    # An estimate: the engine, through the public route.
    page.goto("/espace/estimation/")
    person = page.get_by_label("Bénéficiaire des soins").locator("option", has_text="Inès")
    expect(person).to_have_count(1)
    page.get_by_label("Bénéficiaire des soins").select_option(person.get_attribute("value"))
    page.get_by_label("Soin", exact=True).fill("généraliste")
    care = page.get_by_role("option", name=re.compile("généraliste", re.I)).first
    expect(care).to_be_visible()
    care.click()
    page.get_by_label("Prix annoncé, en euros").fill("30")
    page.get_by_label(re.compile("^Conventionné secteur 1")).check()
    page.get_by_role("button", name="Calculer mon estimation").click()
    result = page.get_by_test_id("estimate-result")
    expect(result).to_contain_text("resteraient à votre charge")
    expect(result.get_by_role("link", name="Voir le détail de cette estimation")).to_have_count(0)
    assert public == ["POST"]
    # A message to an advisor: what would happen, and nothing sent.
    page.goto("/espace/contact/")
    page.get_by_label("Objet de votre message").fill("Une question")
    page.get_by_label("Votre message", exact=True).fill("Bonjour, est-ce remboursé ?")
    page.get_by_role("button", name="Envoyer mon message").click()
    expect(page.get_by_role("alert").filter(has_text="Démonstration")).to_contain_text(
        "rien n'est envoyé")
    assert not bad, f"requests that may carry personal data: {bad}"
    _nothing_kept(page.context, page)


@DESKTOP_ONLY
def test_leaving_the_demonstration_forgets_it(page, viewport):
    bad = _watch(page)
    page.goto("/tutoriel/")
    page.get_by_role("link", name="Découvrir sans compte").click()
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    expect(page.get_by_test_id("account-menu")).to_contain_text("Fatima L.")
    open_account_menu(page)
    page.get_by_role("button", name="Quitter la démonstration").click()
    expect(page).to_have_url(re.compile(r"/tutoriel/$"))
    assert page.evaluate("Object.keys(sessionStorage)") == []
    page.goto("/espace/remboursements/")
    expect(page).to_have_url(re.compile(r"/connexion/"))
    assert not bad, f"requests that may carry personal data: {bad}"


@DESKTOP_ONLY
def test_the_welcome_tour_is_offered_once(page, viewport):
    login_with_form(page)
    signed_in(page)
    welcome = page.get_by_test_id("welcome")
    expect(welcome).to_be_visible()
    welcome.get_by_role("button", name="Commencer la visite").click()
    walk(page, TOURS["bienvenue"], viewport)
    page.reload()
    signed_in(page)
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("welcome")).to_have_count(0)
    # Signed out and in again on this device: not offered again.
    open_account_menu(page)
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))
    login_with_form(page)
    signed_in(page)
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("welcome")).to_have_count(0)


@DESKTOP_ONLY
def test_the_printable_version_has_every_section_a_page_each(page, viewport):
    page.goto("/tutoriel/imprimer/")
    page.emulate_media(media="print")
    sections = page.locator(".ea-print-section")
    names = sections.evaluate_all("s => s.map(x => x.dataset.section)")
    assert names == ["connexion", *SECTIONS]
    for slug, title in SECTIONS.items():
        section = page.locator(f'.ea-print-section[data-section="{slug}"]')
        expect(section.get_by_role("heading", level=2).first).to_have_text(title)
        assert section.evaluate("s => getComputedStyle(s).breakBefore") == "page"
    # Both ways are printed (the tabs' contents, not only the first), and no button.
    blocks = page.locator(".ea-print-section .tabbed-block")
    assert blocks.count() >= 2
    assert all(b.is_visible() for b in blocks.all())
    expect(page.locator(".ea-try").first).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    for tour in TOURS.values():
        expect(page.locator(f'[data-tour-block="{tour.id}"]')).to_have_count(1)


@DESKTOP_ONLY
def test_the_tutorial_has_every_item_of_the_summary(page, viewport):
    page.goto("/tutoriel/")
    summary = page.get_by_role("navigation", name="Rubriques du tutoriel")
    for slug, title in SECTIONS.items():
        link = summary.get_by_role("link", name=re.compile(re.escape(title)))
        expect(link).to_have_attribute("href", f"{slug}/")
    expect(page.locator(".ea-steps > li")).to_have_count(3)
    for tour in TOURS.values():
        # The welcome tour is explained with the connection path, on the summary page.
        page.goto("/tutoriel/" if tour.welcome else f"/tutoriel/{tour.section}/")
        block = page.locator(f'[data-tour-block="{tour.id}"]')
        expect(block).to_be_visible()
        if tour.ready:
            expect(block.locator("[data-essayer]")).to_be_visible()
            expect(block.locator("img")).to_have_count(2)
        else:
            expect(block).to_contain_text("arrive bientôt")


assert set(VIEWPORTS) == {"desktop", "phone"}
