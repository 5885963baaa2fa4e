"""« Mes services » as Fatima uses it, on a computer and on a phone: the nearest optician from
a postcode chosen in the town field (the list complete, the map without tiles), a partner's
gains; the nearest optician around her position (the browser's geolocation), then the nearest
agency's hours and whether it is open now; a refused position and an unknown town said in
French; a teleconsultation booked, its waiting room (a simulation, and saying so), her past
one listed, then cancelled. Phone only where the layout differs (results and map, forms)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, login
from tests.e2e.helpers import api, signed_in

LYON_BELLECOUR = {"latitude": 45.7578, "longitude": 4.8320}


def open_services(page):
    page.get_by_role("link", name="Mes services").first.click()
    expect(page.get_by_role("heading", level=1, name="Mes services")).to_be_visible()


def test_a_town_typed_before_the_page_script_ran_is_still_searched(page, viewport):
    """On a slow phone the member can type before the page's script has run: the typed
    postcode is searched once it has, instead of the field staying silent."""
    login(page)
    signed_in(page)
    held = []
    script = re.compile(r".*/pages/espace/services/index-\w+\.js$")
    page.route(script, lambda route: held.append(route))
    open_services(page)
    town = page.get_by_role("combobox", name="Commune ou code postal")
    town.fill("69003")
    for _ in range(200):  # the route's handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page script was not requested"
    held[0].continue_()
    expect(page.get_by_role("option", name=re.compile(
        r"^Lyon 3e Arrondissement \(69003\)"))).to_be_visible(timeout=15_000)


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
    # The first suggestion may wait for a cold support function on a loaded machine.
    expect(option).to_be_visible(timeout=15_000)
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
    nearest = api(page, "GET", "/services/places?town=Lyon%203e%20Arrondissement"
                               "&postcode=69003&kind=optician&limit=20")["items"]
    # The list is the whole answer, in the API's order, whatever the map shows.
    expect(rows.get_by_role("link")).to_have_text([place["name"] for place in nearest])
    first = rows.first
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


@pytest.mark.parametrize("viewport", ["desktop"])  # the same list and map as above
def test_the_nearest_optician_then_an_agency_around_her_position(located, viewport):
    page = located

    def unreachable_tiles(route):
        # A tile server that answers nothing: the map says so, the list is whole.
        config = route.fetch().json()
        route.fulfill(json={**config, "mapTiles": {"url": "/tuiles/{z}/{x}/{y}.png",
                                                   "attribution": "Tuiles de test"}})

    page.route("**/config.json", unreachable_tiles)
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_label("Je cherche").select_option("optician")
    page.get_by_label("Distance au plus").select_option("5")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_test_id("places-summary")).to_contain_text(
        re.compile(r"opticiens à moins de 5 km de votre position"))
    rows = page.get_by_test_id("place-row")
    expected = api(page, "GET", "/services/places?lat=45.75780&lon=4.83200&kind=optician"
                                "&radius_km=5&limit=20")["items"]
    assert expected[0]["distance_m"] < 2000
    expect(rows.get_by_role("link")).to_have_text([p["name"] for p in expected])
    expect(rows.first).to_contain_text(f"à {expected[0]['distance_label']}")
    expect(page.locator(".ea-map__marker")).to_have_count(len(expected))
    expect(page.get_by_text("Fond de carte indisponible")).to_be_visible()

    # The nearest agency: its hours, and whether it is open now (Paris time).
    page.get_by_label("Je cherche").select_option("agency")
    page.get_by_label("Distance au plus").select_option("20")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_test_id("places-summary")).to_contain_text("de votre position")
    agency = api(page, "GET", "/services/places?lat=45.75780&lon=4.83200&kind=agency"
                              "&radius_km=20&limit=1")["items"][0]
    first = page.get_by_test_id("place-row").first
    expect(first.get_by_role("link")).to_have_text(agency["name"])
    expect(first).to_contain_text(agency["status_label"])
    first.get_by_role("link").click()
    detail = page.get_by_test_id("place-detail")
    expect(detail).to_contain_text(agency["name"])
    shown = api(page, "GET", f"/services/places/{agency['id']}")
    assert shown["hours"] and shown["status_label"].startswith(("Ouverte jusqu'à", "Fermée"))
    expect(page.get_by_test_id("place-open")).to_have_text(shown["status_label"])
    hours = page.get_by_role("table", name="Horaires d'ouverture de l'agence")
    expect(hours.get_by_role("rowheader")).to_have_text([line["days"] for line in shown["hours"]])
    expect(hours.get_by_role("cell")).to_have_text([line["hours"] for line in shown["hours"]])
    expect(detail).to_contain_text("L'agence est fermée les jours fériés.")
    expect(detail.get_by_role("link", name=shown["phone"])).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop"])  # the same words on a phone
@pytest.mark.parametrize("located", [False], indirect=True)
def test_a_refused_position_and_an_unknown_town_are_said_in_french(located, viewport):
    page = located
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_role("alert").filter(has_text="position")).to_contain_text(
        "Indiquez une commune ou un code postal")
    expect(page.get_by_test_id("place-row")).to_have_count(0)

    town = page.get_by_role("combobox", name="Commune ou code postal")
    town.fill("Xyzzyville")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#places-town-erreur")).to_contain_text(
        "Nous ne trouvons pas la commune « Xyzzyville »")
    expect(town).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("place-row")).to_have_count(0)


def test_a_teleconsultation_is_booked_joined_and_cancelled(page, viewport):
    login(page)
    signed_in(page)
    open_services(page)
    page.get_by_role("link", name="Consulter un médecin en vidéo").click()
    expect(page.get_by_role("heading", level=1, name="Téléconsultation")).to_be_visible()
    expect(page.get_by_text("En cas d'urgence, appelez le 15")).to_be_visible()
    who = page.get_by_label("Pour qui ?")
    who.select_option(who.locator("option", has_text="Inès Lambert").get_attribute("value"))
    page.get_by_label("Motif de la consultation").fill(
        "Fièvre à 38,5 depuis hier soir et mal de gorge.")
    page.get_by_label("Dès que possible").check()
    page.get_by_role("button", name="Demander la téléconsultation").click()

    booked = page.get_by_test_id("tele-booked")
    expect(booked).to_contain_text("Votre téléconsultation est réservée")
    expect(booked).to_contain_text("Inès Lambert")
    expect(booked).to_contain_text("(simulation)")
    rows = page.get_by_test_id("tele-row")
    expect(rows.first).to_contain_text("Inès Lambert")
    expect(rows.first).to_contain_text("Salle d'attente ouverte")
    # Her past consultation (the demo's, twelve days ago) is listed too, and can't be joined.
    past = rows.filter(has_text="Passée").filter(has_text="Karim")
    expect(past).to_have_count(1)
    expect(past.get_by_role("link")).to_have_count(0)
    expect(past.get_by_role("button", name="Annuler")).to_have_count(0)

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
