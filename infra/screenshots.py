"""`make screenshots`: the tutorial's screenshots, taken from the running product.

Starts the local stack (the built site, the seed), signs in as the demo member through the
site's own login page, and photographs the start page of every ready tour (site/tours/) with
the tour's first step shown, on a computer (1280×800) and a phone (375×812), as
site/docs/tutoriel/captures/<tour>-<desktop|phone>.png: the window as « Essayer » opens it
for the member, reduced to a 256-colour palette so
the committed files stay small. The tutorial's build (hooks/tours.py) fails while one is
missing. Debian's Chromium, Playwright for Python.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "site" / "docs" / "tutoriel" / "captures"
LOGIN = ("fatima.l@example.fr", "Demo-Adherent-2026!")
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}


def ready_tours() -> dict[str, str]:
    """Tour id -> its start page, for the ready tours."""
    sys.path.insert(0, str(ROOT / "site"))
    from hooks.tours import load_tours

    return {t.id: t.page for t in load_tours(ROOT / "site" / "tours").values() if t.ready}


def optimise(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(base_url: str, tours: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, options in VIEWPORTS.items():
            context = browser.new_context(base_url=base_url, locale="fr-FR",
                                          timezone_id="Europe/Paris", **options)
            page = context.new_page()
            page.goto("/connexion/")
            page.get_by_label("Adresse e-mail").fill(LOGIN[0])
            page.get_by_label("Mot de passe", exact=True).fill(LOGIN[1])
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url("**/espace/remboursements/**", timeout=20_000)
            welcome = page.get_by_test_id("welcome")
            welcome.wait_for(timeout=5_000)
            welcome.get_by_role("button", name="Non merci").click()
            for tour, path in tours.items():
                # The page with the tour's first step shown: what « Essayer » opens.
                page.goto(f"/{path}?visite={tour}")
                page.wait_for_load_state("networkidle")
                page.locator(".driver-popover").wait_for(timeout=20_000)
                page.wait_for_timeout(400)
                file = out / f"{tour}-{name}.png"
                file.write_bytes(optimise(page.screenshot(animations="disabled")))
                written.append(file)
                page.keyboard.press("Escape")
            context.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from infra.local.server import SITE_DIR, Stack

    if not (SITE_DIR / "index.html").is_file():
        print("The site is not built (make screenshots builds it first).", file=sys.stderr)
        return 2
    stack = Stack(port=0).start()
    try:
        files = take(stack.base_url, ready_tours(), args.out)
    finally:
        stack.stop()
    for file in files:
        print(f"{file.relative_to(ROOT)}  {file.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
