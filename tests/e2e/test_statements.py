"""« Mes relevés »: a new error never sits beside an old success message."""


from playwright.sync_api import expect

from shared import clock
from tests.e2e.conftest import login
from tests.e2e.helpers import ONE_VIEWPORT, signed_in


@ONE_VIEWPORT
def test_a_new_error_replaces_the_previous_success(page):
    login(page)
    signed_in(page)
    page.goto("/espace/releves/")
    ready = page.get_by_text("est prêt")
    with page.expect_download():
        page.get_by_test_id("statement-download-pdf").first.click()
    expect(ready).to_be_visible()

    # Three years at once: the API refuses, and only its message is left on screen.
    today = clock.today()
    page.get_by_label("Du", exact=True).fill(today.replace(year=today.year - 3).isoformat())
    page.get_by_label("Au", exact=True).fill(today.isoformat())
    page.get_by_test_id("statement-period-pdf").click()
    expect(page.get_by_role("alert").filter(has_text="deux ans au plus")).to_be_visible()
    expect(ready).to_have_count(0)

    # Same after a success of the form itself, then a date mistake.
    page.get_by_label("Du", exact=True).fill(f"{today.year}-01-01")
    with page.expect_download():
        page.get_by_test_id("statement-period-csv").click()
    expect(ready).to_be_visible()
    page.get_by_label("Du", exact=True).fill(today.isoformat())
    page.get_by_label("Au", exact=True).fill(f"{today.year - 1}-01-01")
    page.get_by_test_id("statement-period-pdf").click()
    expect(page.get_by_text("La date de fin doit être après la date de début").first) \
        .to_be_visible()
    expect(ready).to_have_count(0)
