"""axe-core on every page, desktop and phone: no WCAG 2.x A/AA violation (RGAA applies)."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, VIEWPORTS, login

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC = ["/", "/connexion/"]
MEMBER = ["/espace/remboursements/", "/espace/estimation/", "/espace/estimations/",
          "/espace/demande-remboursement/", "/espace/releves/"]


@pytest.fixture
def axe_page(browser, stack, viewport):
    # The site's CSP forbids injected scripts: let the test inject axe, nothing else changes.
    context = browser.new_context(base_url=stack["base_url"], locale="fr-FR",
                                  bypass_csp=True, **VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


def test_public_pages(axe_page):
    for path in PUBLIC:
        assert axe_page.goto(path).ok
        axe_page.wait_for_load_state("networkidle")
        found = violations(axe_page)
        assert not found, f"{path}: {json.dumps(found, ensure_ascii=False)}"


def test_member_pages(axe_page):
    login(axe_page)
    expect(axe_page.get_by_test_id("claim-row").first).to_be_visible()
    claim_link = axe_page.get_by_test_id("claim-row").first.get_by_role("link").first
    pages = [*MEMBER, claim_link.get_attribute("href")]
    for path in pages:
        response = axe_page.goto(path)
        assert response and response.ok, path
        axe_page.wait_for_load_state("networkidle")
        expect(axe_page.get_by_role("heading", level=1)).to_be_visible()
        found = violations(axe_page)
        assert not found, f"{path}: {json.dumps(found, ensure_ascii=False)}"
