"""« Mes services » as Fatima uses it, on a computer and on a phone: the nearest optician from
a postcode chosen in the town field, the nearest pharmacies around her position (the browser's
geolocation), a refused position said in French, a place's gains; a teleconsultation booked,
its waiting room (a simulation, and saying so), then cancelled."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, login
from tests.e2e.helpers import api, signed_in

LYON_BELLECOUR = {"latitude": 45.7578, "longitude": 4.8320}


def open_services(page):
    page.get_by_role("link", name="Mes services").first.click()
    expect(page.get_by_role("heading", level=1, name="Mes services")).to_be_visible()


@pytest.fixture
def located(browser, stack, viewport, request):
    """A page whose browser knows where it is (Lyon, place Bellecour), or refuses to say."""
    granted = getattr(request, "param", True)
    context = browser.new_context(
        base_url=stack["base_url"], locale="fr-FR", timezone_id="Europe/Paris",
        geolocation=LYON_BELLECOUR, permissions=["geolocation"] if granted else [],
        **VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: errors.append(f"third-party request: {req.url}")
            if not req.url.startswith((stack["base_url"], "data:", "blob:")) else None)
    yield page
    context.close()
    assert not errors, errors


def test_the_nearest_optician_from_a_postcode(page, viewport):
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_label("Je cherche").select_option(label="Un opticien")
    town = page.get_by_role("combobox", name="Commune ou code postal")
    town.fill("69003")
    option = page.get_by_role("option", name=re.compile(r"^Lyon 3e Arrondissement \(69003\)"))
    expect(option).to_be_visible()
    town.press("ArrowDown")
    expect(town).to_have_attribute("aria-activedescendant", re.compile("places-town-list-"))
    option.click()
    expect(town).to_have_value("Lyon 3e Arrondissement (69003)")
    page.get_by_role("button", name="Rechercher").click()

    summary = page.get_by_test_id("places-summary")
    expect(summary).to_contain_text(re.compile(
        r"^\d+ opticiens à moins de 20 km de Lyon 3e Arrondissement \(69003\)"))
    rows = page.get_by_test_id("place-row")
    expect(rows).to_have_count(20)
    # The nearest first, as the API ranks them, with the distance the member reads.
    nearest = api(page, "GET", "/support/places?town=Lyon%203e%20Arrondissement"
                               "&postcode=69003&kind=optician&limit=20")["items"]
    first = rows.first
    expect(first.get_by_role("link")).to_have_text(nearest[0]["name"])
    expect(first).to_contain_text(f"à {nearest[0]['distance_label']}")
    expect(first).to_contain_text("Tiers payant")
    distances = [i["distance_m"] for i in nearest]
    assert distances == sorted(distances)
    # The map shows one numbered marker per line, on a plain background (no tile server here).
    expect(page.locator(".ea-map__marker")).to_have_count(20)
    expect(page.get_by_text("Fond de carte indisponible")).to_be_visible()

    # The place, then back to the same results.
    first.get_by_role("link").click()
    expect(page.get_by_test_id("place-detail")).to_contain_text(nearest[0]["name"])
    gains = page.get_by_test_id("place-gains")
    expect(gains).to_contain_text("Tiers payant")
    expect(gains).to_contain_text(re.compile(r"−\d+ % sur les montures et les verres"))
    page.get_by_role("link", name="Retour à la recherche").click()
    expect(page.get_by_test_id("place-row").first.get_by_role("link")).to_have_text(
        nearest[0]["name"])


def test_the_nearest_pharmacies_around_her_position(located, viewport):
    page = located
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_label("Je cherche").select_option("pharmacy")
    page.get_by_label("Distance au plus").select_option("5")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_test_id("places-summary")).to_contain_text(
        re.compile(r"pharmacies à moins de 5 km de votre position"))
    rows = page.get_by_test_id("place-row")
    expect(rows.first).to_contain_text("Pharmacie")
    expected = api(page, "GET", "/support/places?lat=45.75780&lon=4.83200&kind=pharmacy"
                                "&radius_km=5&limit=20")["items"]
    expect(rows).to_have_count(len(expected))
    expect(rows.first.get_by_role("link")).to_have_text(expected[0]["name"])
    assert expected[0]["distance_m"] < 2000
    expect(page.locator(".ea-map__marker")).to_have_count(len(expected))


@pytest.mark.parametrize("located", [False], indirect=True)
def test_a_refused_position_is_said_in_french(located, viewport):
    page = located
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_role("alert").filter(has_text="position")).to_contain_text(
        "indiquez une commune ou un code postal")
    expect(page.get_by_test_id("place-row")).to_have_count(0)


def test_an_unknown_town_is_said_at_the_field(page, viewport):
    login(page)
    signed_in(page)
    page.goto("/espace/services/")
    page.get_by_role("combobox", name="Commune ou code postal").fill("Xyzzyville")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#places-town-erreur")).to_contain_text(
        "Nous ne trouvons pas la commune « Xyzzyville »")
    expect(page.get_by_role("combobox", name="Commune ou code postal")).to_have_attribute(
        "aria-invalid", "true")


def test_a_teleconsultation_is_booked_joined_and_cancelled(page, viewport):
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_role("link", name="Consulter un médecin en vidéo").click()
    expect(page.get_by_role("heading", level=1, name="Téléconsultation")).to_be_visible()
    expect(page.get_by_text("En cas d'urgence, appelez le 15")).to_be_visible()
    page.get_by_label("Pour qui ?").select_option(label=re.compile("^Inès Lambert"))
    page.get_by_label("Motif de la consultation").fill(
        "Fièvre à 38,5 depuis hier soir et mal de gorge.")
    page.get_by_label("Dès que possible").check()
    page.get_by_role("button", name="Demander la téléconsultation").click()

    booked = page.get_by_test_id("tele-booked")
    expect(booked).to_contain_text("Votre téléconsultation est réservée")
    expect(booked).to_contain_text("Inès Lambert")
    expect(booked).to_contain_text("(simulation)")
    row = page.get_by_test_id("tele-row").first
    expect(row).to_contain_text("Inès Lambert")
    expect(row).to_contain_text("Salle d'attente ouverte")

    booked.get_by_test_id("tele-join").click()
    expect(page.get_by_role("heading", level=1, name="Salle d'attente")).to_be_visible()
    expect(page.get_by_test_id("tele-simulation")).to_contain_text(
        "Simulation : aucun médecin ne vous rejoindra.")
    expect(page.get_by_test_id("tele-room")).to_contain_text("Vous êtes dans la salle d'attente")

    page.get_by_role("link", name="Retour à mes téléconsultations").click()
    row = page.get_by_test_id("tele-row").first
    row.get_by_role("button", name="Annuler").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Annuler cette téléconsultation ?")
    dialog.get_by_role("button", name="Annuler la téléconsultation").click()
    expect(page.get_by_text("La téléconsultation est annulée.")).to_be_visible()
    expect(page.get_by_test_id("tele-row").first).to_contain_text("Annulée")
