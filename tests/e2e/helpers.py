import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from shared import clock
from tests.helpers import idempotency, sample_pdf

PDF_INVOICE = sample_pdf()
# Behaviour that does not depend on the layout (a message, a deletion, a redirect) is checked
# on a computer only; journeys and anything the phone lays out differently run on both.
ONE_VIEWPORT = pytest.mark.parametrize("viewport", ["desktop"])
# "12 octobre 2026 à 14:05"
FRENCH_DATE_TIME = re.compile(r"\b\d{1,2}(er)? [a-zéû]+ \d{4} à \d{2}:\d{2}\b")


def cents(text: str) -> int:
    """'1 234,56 €' (any spaces) -> 123456."""
    digits = re.sub(r"[^\d,-]", "", text)
    euros, _, dec = digits.partition(",")
    return int(euros or 0) * 100 + int((dec or "0").ljust(2, "0")[:2])


# The page's calls to the API, counted: a page has settled when none is under way (cheaper
# than Playwright's « networkidle », which waits half a second of silence on every page).
COUNT_FETCHES = """(() => {
    let pending = 0;
    const original = window.fetch.bind(window);
    window.fetch = (...args) => {
        pending += 1;
        return original(...args).finally(() => {
            pending -= 1;
            window.__eaLastFetch = performance.now();
        });
    };
    Object.defineProperty(window, "__eaPending", {get: () => pending});
})();"""


def settled(page) -> None:
    """The page's own « loaded » state: no call to the API under way (for 100 ms), no region
    still busy (drawn at 60 % opacity) nor fading back in. axe measures contrast as it is drawn
    at that moment: in the middle of a reload, the muted labels of « Vérifier ma situation »
    fell under 4.5:1."""
    quiet = """() => (window.__eaPending ?? 0) === 0
        && performance.now() - (window.__eaLastFetch ?? 0) > 100
        && !document.querySelector('[aria-busy="true"]')
        && document.getAnimations().every(a => a.playState !== 'running'
            || a.effect?.getTiming().iterations === Infinity)"""
    page.wait_for_function(quiet)
    # A focus that scrolled the page (an error summary, say) makes the theme's header swap its
    # title for the page's, with a fade that starts a frame or two later: axe measured the
    # fading title's contrast once. Let those frames pass, then wait for quiet again.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                  "requestAnimationFrame(() => setTimeout(r, 50))))")
    page.wait_for_function(quiet)


def signed_in(page) -> None:
    """Waits until the landing page after sign-in shows its first reimbursements."""
    expect(page.get_by_test_id("claim-row").first).to_be_visible()


def api(page, method: str, path: str, body=None, *, expect_status: int | None = None):
    """Calls the API as the member signed in on `page` (token read from the tab's session)."""
    token = page.evaluate("() => JSON.parse(sessionStorage.getItem('ea.session')).accessToken")
    headers = {"Authorization": f"Bearer {token}"}
    if method == "POST":
        headers.update(idempotency())
    response = page.request.fetch(f"/api{path}", method=method, headers=headers, data=body)
    if expect_status is not None:
        assert response.status == expect_status, (path, response.status, response.text())
    return response.json() if response.status != 204 else None


def all_claims(page, **query) -> list[dict]:
    items, cursor = [], None
    while True:
        params = "&".join(f"{k}={v}" for k, v in {**query, "limit": 100,
                                                  **({"cursor": cursor} if cursor else {})}.items())
        data = api(page, "GET", f"/claims?{params}", expect_status=200)
        items += data["items"]
        cursor = data["next"]
        if not cursor:
            return items


def create_estimate(page, *, label: str | None = None, like: dict | None = None) -> dict:
    """An estimate made now, for the care of claim `like` (or a GP visit next week)."""
    me = api(page, "GET", "/members/me", expect_status=200)
    body = {
        "beneficiary_id": like["beneficiary_id"] if like else me["beneficiaries"][0]["id"],
        "act_code": like["act_code"] if like else "G",
        "care_date": like["care_date"] if like
        else (clock.today() + timedelta(days=7)).isoformat(),
        "price_cents": like["real_cost_cents"] if like else 3000,
        "practitioner": {"sector": 1, "optam": True},
    }
    if label:
        body["label"] = label
    return api(page, "POST", "/claims/estimates", body, expect_status=201)


def create_request(page, invoice: bytes = PDF_INVOICE) -> dict:
    """A reimbursement request sent through the API, with one uploaded invoice."""
    me = api(page, "GET", "/members/me", expect_status=200)
    ticket = api(page, "POST", "/support/uploads", {
        "filename": "facture.pdf", "content_type": "application/pdf", "size": len(invoice)},
        expect_status=201)
    sent = page.request.post(ticket["url"], multipart={
        **ticket["fields"],
        "file": {"name": "facture.pdf", "mimeType": "application/pdf", "buffer": invoice}})
    assert sent.ok, sent.text()
    api(page, "POST", f"/support/uploads/{ticket['id']}/confirm", expect_status=200)
    claim = all_claims(page)[0]
    return api(page, "POST", "/support/requests/reimbursement", {
        "beneficiary_id": me["beneficiaries"][0]["id"], "act_code": claim["act_code"],
        "care_date": claim["care_date"], "amount_cents": 3000,
        "practitioner": {"sector": 1, "optam": True}, "upload_ids": [ticket["id"]]},
        expect_status=201)


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def french_date(day: date) -> str:
    """date(2026, 11, 1) -> '1 novembre 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def open_account_menu(page) -> None:
    """Opens the header's account menu, once its script has wired it (a click before that did
    nothing on a loaded machine, and the menu stayed closed)."""
    button = page.get_by_test_id("account-menu")
    expect(button).to_have_attribute("data-ready", "true")
    button.click()
    expect(page.locator("#ea-account-menu")).to_be_visible()


def open_section(page, name: str) -> None:
    """Follows an entry of the space's menu as a member would: on a phone, the entries that are
    not in the bottom bar are behind « Menu »."""
    nav = page.get_by_role("navigation", name="Menu de mon espace")
    link = nav.get_by_role("link", name=name, exact=True)
    expect(nav).to_be_visible()
    if not link.is_visible():
        nav.get_by_role("button", name="Menu", exact=True).click()
    link.click()


def mails_when(page, found, timeout: float = 20.0) -> list[dict]:
    """The local stack's sent emails (« Courriels envoyés »), read again until `found(mails)`
    holds: emails leave through the outbox (the stream's relay, then the mailer), a moment
    after the change they tell."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        mails = page.request.get("/local/courriels.json").json()["items"]
        if found(mails) or time.monotonic() > deadline:
            return mails
        page.wait_for_timeout(200)
