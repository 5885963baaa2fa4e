"""What a new user met, on a computer and on a phone (issue 18, « What a new user met »): the
home and sign-in pages lead to the tutorial and to discovery; the tutorial's steps are text,
not Markdown; the demonstration's banner leaves the menu usable and its notices are no errors;
a wrong IBAN is said once; an example lowered by a ceiling says which; « Pour qui ? » and the
card fit a phone; French spaces and elisions; the map's numbered markers apart and centred."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.helpers import api, settled, signed_in

PHONE = pytest.mark.parametrize("viewport", ["phone"])

# Text nodes of the page where a plain space stands before « : ; ! ? » or after « « »: there a
# narrow screen may start a line with the sign, or leave a guillemet alone.
BREAKABLE_SPACES = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest("script, style, code, pre, textarea, [hidden]")) continue;
        if (/ [:;!?»]|« /.test(node.data)) found.push(node.data.trim().slice(0, 80));
    }
    return found;
}"""


def no_breakable_space(page, where: str) -> None:
    assert page.evaluate(BREAKABLE_SPACES) == [], where


def covered(page, locator) -> bool:
    """Whether what the member sees at the middle of `locator` is something else."""
    return page.evaluate("""(el) => {
        const r = el.getBoundingClientRect();
        const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !(at && (at === el || el.contains(at)));
    }""", locator.element_handle())


def test_the_home_and_sign_in_pages_lead_to_the_tutorial_and_discovery(page, viewport):
    for path in ("/", "/connexion/"):
        page.goto(path)
        main = page.locator("main, .md-main").first
        tutorial = main.get_by_role("link", name=re.compile("tutoriel", re.I))
        expect(tutorial).to_be_visible()
        discover = main.get_by_role("link", name="Découvrir sans compte")
        expect(discover).to_be_visible()
        no_breakable_space(page, path)
    page.goto("/")
    page.locator("main, .md-main").first.get_by_role("link", name="Découvrir sans compte").click()
    expect(page.get_by_text("vous visitez l'espace d'une adhérente fictive")).to_be_visible()
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    page.goto("/connexion/")
    page.locator("main, .md-main").first.get_by_role(
        "link", name=re.compile("tutoriel", re.I)).click()
    expect(page.get_by_role("heading", level=1, name="Tutoriel de votre espace adhérent")) \
        .to_be_visible()


def test_the_tutorial_shows_its_steps_as_text_not_markdown(page, viewport):
    page.goto("/tutoriel/")
    steps = page.locator("ol.ea-steps > li")
    expect(steps).to_have_count(3)
    expect(steps.first.locator("strong")).to_have_text(
        re.compile(r"^Étape 1 sur 3 — Ouvrir la page de connexion\.$"))
    assert "**" not in page.locator(".md-content").inner_text()
    no_breakable_space(page, "/tutoriel/")


def test_discovery_leaves_the_menu_usable_and_its_notices_are_not_errors(page, viewport):
    page.goto("/espace/remboursements/?demo=1")
    banner = page.locator("[data-demo-banner]")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("claim-row").first).to_be_visible()
    entry = page.locator(".ea-nav").get_by_role("link", name="Mes remboursements").first
    expect(entry).to_be_visible()
    assert not covered(page, entry), "the demonstration banner covers the menu"
    # An action discovery cannot run says what it would do, as a notice, not as an error.
    page.goto("/espace/documents/attestations/")
    page.get_by_test_id("attestation-create").click()
    notice = page.locator("#attestation-download-error .ea-notice")
    expect(notice).to_contain_text("Démonstration")
    expect(notice).not_to_have_class(re.compile(r"ea-notice--error"))
    expect(notice).to_have_class(re.compile(r"ea-notice--demo"))


def test_a_wrong_iban_is_said_once_under_the_field(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/contrat/coordonnees-bancaires/")
    iban = page.get_by_label("IBAN du nouveau compte")
    iban.fill("FR76 3000 6000 0112 3456 7890 188")  # one digit wrong: the key does not match
    expect(page.get_by_test_id("iban-check")).to_contain_text("n'est pas valide")
    message = page.get_by_test_id("iban-check").inner_text().strip()
    page.get_by_role("button", name="Envoyer ma demande de changement").click()
    field = page.locator(".ea-field", has=iban)
    expect(field.locator(".ea-field-error")).to_contain_text(message)
    assert field.inner_text().count(message) == 1, field.inner_text()


def test_de_elides_before_a_name(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/contrat/coordonnees-bancaires/")
    expect(page.get_by_label("Recevoir les remboursements d'Inès Lambert")).to_be_visible()
    expect(page.get_by_label("Recevoir les remboursements de Karim Lambert")).to_be_visible()
    no_breakable_space(page, "/espace/contrat/coordonnees-bancaires/")


def test_an_example_lowered_by_a_ceiling_says_which(page, viewport):
    page.goto("/garanties/")
    frame = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(
        "Montures hors 100 % Santé")))
    caps = frame.locator("[data-cap]")
    expect(caps.first).to_contain_text("100,00 € par monture")
    expect(caps.first).to_contain_text("contrat responsable")
    login(page)
    signed_in(page)
    page.goto("/espace/contrat/garanties/")
    line = page.locator('[data-testid="guarantee-line"][data-key="optics_frame"]')
    expect(line.locator('[data-figure="mutual"]')).to_have_text("100,00 €")
    expect(line.get_by_test_id("guarantee-cap")).to_contain_text("contrat responsable")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), \
        "the guarantees are wider than the screen"
    no_breakable_space(page, "/espace/contrat/garanties/")


@PHONE
def test_on_a_phone_who_the_attestation_is_for_is_read_whole(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/documents/attestations/")
    who = page.get_by_label("Pour qui ?")
    # The family, then each beneficiary (other journeys on this stack may have added one).
    family = api(page, "GET", "/members/me")["beneficiaries"]
    expect(who.locator("option")).to_have_count(1 + len(family))
    expect(who.locator("option").first).to_have_text("Toute la famille")
    cut = who.evaluate("""(select) => {
        const style = getComputedStyle(select);
        const context = document.createElement("canvas").getContext("2d");
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight) - 20;  // the arrow
        return [...select.options].filter((o) => context.measureText(o.text).width > room)
            .map((o) => o.text);
    }""")
    assert cut == [], f"cut off on a phone: {cut}"


@PHONE
def test_on_a_phone_the_card_and_its_qr_code_fit_one_screen(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/contrat/carte/")
    card = page.get_by_test_id("card").locator(".ea-tp")
    expect(card.get_by_role("img", name="Code QR de vérification de la carte")).to_be_visible()
    room = page.evaluate("""() => innerHeight
        - document.querySelector('.ea-header').getBoundingClientRect().height
        - document.querySelector('.ea-nav').getBoundingClientRect().height""")
    height = card.bounding_box()["height"]
    assert height <= room, f"the card is {height:.0f} px high, the screen shows {room:.0f}"
    width = card.evaluate("(el) => el.scrollWidth - el.clientWidth")
    assert width <= 0, "the card is wider than the phone"


def test_tour_titles_keep_their_guillemets_with_their_words(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/contrat/carte/?visite=contrat-carte")
    title = page.locator(".driver-popover .driver-popover-title")
    expect(title).to_be_visible(timeout=20_000)
    expect(title).to_have_text("« Mon contrat »")
    text = title.evaluate("(el) => el.textContent")
    assert text == "«\u00a0Mon contrat\u00a0»", repr(text)


def test_the_data_export_does_not_promise_a_spreadsheet(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/infos/donnees/")
    what = page.get_by_text(re.compile("au format JSON"))
    expect(what).to_be_visible()
    expect(what).to_contain_text("un tableur ne l'ouvre pas tel quel")
    no_breakable_space(page, "/espace/infos/donnees/")


def test_the_map_markers_stand_apart_with_their_numbers_centred(page, viewport):
    login(page)
    signed_in(page)
    page.get_by_role("link", name="Mes services").first.click()
    town = page.get_by_role("combobox", name="Commune ou code postal")
    town.fill("69002")
    page.get_by_role("option", name=re.compile(r"^Lyon 2e")).first.click()
    page.get_by_role("button", name="Rechercher").click()
    markers = page.locator(".ea-map__marker")
    expect(markers).to_have_count(20)
    settled(page)
    shapes = markers.evaluate_all("""(all) => all.map((m) => {
        const r = m.getBoundingClientRect(), s = m.querySelector('span').getBoundingClientRect();
        return {n: m.textContent, x: r.left + r.width / 2, y: r.top + r.height / 2, d: r.width,
                off: Math.hypot(s.left + s.width / 2 - (r.left + r.width / 2),
                                s.top + s.height / 2 - (r.top + r.height / 2))};
    })""")
    off_centre = [s["n"] for s in shapes if s["off"] > 1]
    assert off_centre == [], f"numbers off-centre: {off_centre}"
    hidden = [f"{a['n']}/{b['n']}" for i, a in enumerate(shapes) for b in shapes[i + 1:]
              if ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 < a["d"]]
    assert hidden == [], f"markers covering each other: {hidden}"
