"""« Mes estimations »: the comparison only once the care is paid, when each estimate was made,
the result in view after a calculation, and deleting an estimate."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    FRENCH_DATE_TIME,
    ONE_VIEWPORT,
    all_claims,
    api,
    create_estimate,
    create_request,
    french_date,
    signed_in,
)
from tests.e2e.test_claims_journeys import choose_care, choose_person


def today_in_french() -> str:
    return french_date(clock.today())


def estimate_card(page, label):
    return page.get_by_test_id("estimate-row").filter(has_text=label)


@ONE_VIEWPORT
def test_an_estimate_made_after_the_care_was_paid_does_not_compare(page):
    login(page)
    signed_in(page)
    paid = next(claim for claim in all_claims(page) if claim["status"] == "paid")
    label = f"Après coup {uuid.uuid4().hex[:6]}"
    assert create_estimate(page, label=label, like=paid)["actual"] is None

    page.goto("/espace/estimations/")
    card = estimate_card(page, label)
    expect(card).to_contain_text("Remboursement pas encore connu")
    expect(card).not_to_contain_text("comparez")
    card.get_by_role("link", name=label).click()
    detail = page.get_by_test_id("estimate-result")
    expect(detail).to_contain_text("pas encore connu")
    expect(page.get_by_test_id("estimate-actual")).to_have_count(0)
    expect(page.get_by_test_id("estimate-comparison")).to_have_count(0)

    # An estimate made before a care that was then paid is compared, with the gap explained.
    page.goto("/espace/estimations/")
    compared = estimate_card(page, "Dermatologue")
    expect(compared).to_contain_text("comparez")
    compared.get_by_role("link", name="Dermatologue").click()
    expect(page.get_by_test_id("estimate-comparison")).to_be_visible()
    expect(page.get_by_test_id("estimate-actual")).to_contain_text("diffère du prix indiqué")


@pytest.mark.parametrize("viewport", ["desktop"])  # the same words on a phone
def test_estimates_and_requests_say_when_they_were_made(page):
    login(page)
    signed_in(page)
    label = f"Horodatée {uuid.uuid4().hex[:6]}"
    create_estimate(page, label=label)
    create_request(page)
    today = today_in_french()

    page.goto("/espace/estimations/")
    card = estimate_card(page, label)
    expect(card).to_contain_text(f"Estimation faite le {today} à")
    card.get_by_role("link", name=label).click()
    made = page.locator("dt", has_text="Estimation faite le").locator("xpath=../dd")
    expect(made).to_have_text(FRENCH_DATE_TIME)
    expect(made).to_contain_text(today)

    page.goto("/espace/demande-remboursement/")
    sent = page.get_by_test_id("request-row").first.locator("dt", has_text="Envoyée le")
    expect(sent.locator("xpath=../dd")).to_have_text(FRENCH_DATE_TIME)
    expect(sent.locator("xpath=../dd")).to_contain_text(today)


def test_the_result_heading_is_in_view_and_focused_after_calculation(page):
    login(page)
    signed_in(page)
    page.goto("/espace/estimation/")
    choose_person(page, "Bénéficiaire des soins", "Fatima")
    choose_care(page, "Soin", "généraliste", "généraliste")
    page.get_by_label("Prix annoncé, en euros").fill("30")
    page.get_by_label(re.compile("^Conventionné secteur 1")).check()
    page.get_by_role("button", name="Calculer mon estimation").click()
    heading = page.get_by_role("heading", name="Votre estimation")
    expect(heading).to_be_focused()
    page.wait_for_timeout(200)  # let any smooth scrolling settle
    header = page.locator("header").first.bounding_box()
    top = heading.bounding_box()["y"]
    assert header["y"] + header["height"] <= top <= header["y"] + header["height"] + 100, top


@ONE_VIEWPORT
def test_delete_an_estimate_from_the_list(page):
    login(page)
    signed_in(page)
    first = f"À garder {uuid.uuid4().hex[:6]}"
    doomed = f"À supprimer {uuid.uuid4().hex[:6]}"
    create_estimate(page, label=first)
    create_estimate(page, label=doomed)
    page.goto("/espace/estimations/")
    card = estimate_card(page, doomed)
    delete = card.get_by_role("button", name=f"Supprimer l'estimation {doomed}")

    # Cancelling changes nothing and gives the focus back.
    delete.click()
    dialog = page.get_by_role("dialog", name="Supprimer cette estimation ?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(doomed)
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    expect(delete).to_be_focused()
    expect(card).to_have_count(1)

    # Escape closes it too.
    delete.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    delete.click()
    dialog.get_by_role("button", name="Supprimer", exact=True).click()
    expect(card).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="supprimée")).to_contain_text(doomed)
    expect(estimate_card(page, first)).to_have_count(1)
    focused = page.evaluate("() => document.activeElement.closest('main, #contenu') !== null"
                            " && document.activeElement !== document.body")
    assert focused
    page.reload()
    expect(estimate_card(page, first)).to_have_count(1)
    expect(estimate_card(page, doomed)).to_have_count(0)


@ONE_VIEWPORT
def test_delete_an_estimate_from_its_detail(page):
    login(page)
    signed_in(page)
    doomed = f"Détail à supprimer {uuid.uuid4().hex[:6]}"
    made = create_estimate(page, label=doomed)
    page.goto(f"/espace/estimations/detail/?id={made['id']}")
    page.get_by_role("button", name="Supprimer cette estimation").click()
    dialog = page.get_by_role("dialog", name="Supprimer cette estimation ?")
    dialog.get_by_role("button", name="Supprimer", exact=True).click()
    expect(page).to_have_url(re.compile(r"/espace/estimations/$"))
    expect(page.get_by_role("status").filter(has_text="supprimée")).to_contain_text(doomed)
    expect(estimate_card(page, doomed)).to_have_count(0)
    # Gone for good: its old link says so.
    api(page, "GET", f"/claims/estimates/{made['id']}", expect_status=404)
    page.goto(f"/espace/estimations/detail/?id={made['id']}")
    expect(page.get_by_text("introuvable")).to_be_visible()


@ONE_VIEWPORT
def test_care_linked_to_an_ald_is_estimated_at_100_percent(page):
    """The ALD box shows only for a beneficiary with an ALD on file (Karim's diabetes)."""
    login(page)
    signed_in(page)
    page.goto("/espace/estimation/")
    ald_box = page.get_by_label(re.compile("lié à une affection de longue durée"))
    choose_person(page, "Bénéficiaire des soins", "Inès")
    expect(ald_box).to_be_hidden()
    choose_person(page, "Bénéficiaire des soins", "Karim")
    expect(ald_box).to_be_visible()
    expect(page.get_by_text(re.compile("Diabète de type 2"))).to_be_visible()
    choose_care(page, "Soin", "généraliste", "généraliste")
    page.get_by_label("Prix annoncé, en euros").fill("30")
    page.get_by_label(re.compile("^Conventionné secteur 1")).check()
    ald_box.check()
    page.get_by_role("button", name="Calculer mon estimation").click()
    result = page.get_by_test_id("estimate-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("ALD")
    social = result.locator(".ea-lines__row--social_security .ea-lines__amount").inner_text()
    assert re.sub(r"\D", "", social) == "2800"  # 100 % of €30, minus the €2 participation
