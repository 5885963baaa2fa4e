"""Site figures: what each member page weighs at its first load (gzip of every script and
stylesheet it loads, the theme's included; target ≤ 60 KB), then Lighthouse 12 (mobile
profile, simulated throttling) on the public pages and, signed in as the demo member through
the real sign-in page, on the member pages, then as the demo advisor (her authenticator's code)
on the advisors' workspace (targets: performance ≥ 98, accessibility 100,
best practices 100).

Starts the local stack (as `make run` does, on a free port) and stops it. Lighthouse runs in
Debian's Chromium through bench/lighthouse.mjs (npm lighthouse and puppeteer-core, pinned);
with --runs N (default 3) each page's figures are the median of N runs.

    .venv/bin/python bench/site_bench.py [--runs N] [--report flow.html]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra.local.cognito import DEMO_TOTP_SECRET  # noqa: E402
from tests.unit.test_site_weight import (  # noqa: E402
    LIMIT,
    SITE,
    gzip_size,
    member_pages,
    page_loads,
)

TARGETS = {"performance": 98, "accessibility": 100, "bestPractices": 100, "seo": 100}
# A member's pages say `noindex` on purpose (is-crawlable): SEO's target is the public pages'.
PRIVATE = ("/espace/", "/conseiller/")
FLOW_TIMEOUT = 1200  # seconds for one Lighthouse user flow (21 pages)


def weights() -> None:
    print(f"\nFirst load of each member page: JS + CSS, gzip (target ≤ {LIMIT / 1024:.0f} KB)\n")
    print(f"| {'page':<34} | files | {'JS':>7} | {'CSS':>7} | {'total':>8} | target |")
    print(f"| {'-' * 34} | ----: | {'-' * 6}: | {'-' * 6}: | {'-' * 7}: | :----: |")
    for page in member_pages():
        loads = page_loads(page)
        js = sum(gzip_size(p) for p in loads if p.endswith(".js"))
        css = sum(gzip_size(p) for p in loads if p.endswith(".css"))
        ok = "✓" if js + css <= LIMIT else "✗"
        print(f"| /{page:<33} | {len(loads):5} | {js / 1024:4.1f} KB | {css / 1024:4.1f} KB "
              f"| {(js + css) / 1024:5.1f} KB | {ok:^6} |")


def lighthouse(base_url: str, runs: int, report: str | None) -> list[list[dict]]:
    node = shutil.which("node")
    if not node:
        raise SystemExit("node is missing")
    results = []
    for run in range(runs):
        env = dict(os.environ, ADVISOR_TOTP_SECRET=DEMO_TOTP_SECRET)
        if report and run == runs - 1:
            env["LIGHTHOUSE_REPORT"] = report
        started = time.perf_counter()
        done = subprocess.run([node, str(ROOT / "bench" / "lighthouse.mjs"), base_url],
                              cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=FLOW_TIMEOUT, check=False)
        if done.returncode != 0:
            raise SystemExit(f"Lighthouse failed:\n{done.stderr[-3000:]}")
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        results.append(lines)
        print(f"  Lighthouse run {run + 1}/{runs}: {len(lines)} pages in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    return results


def table(results: list[list[dict]]) -> None:
    runs = len(results)
    how = f"median of {runs} runs" if runs > 1 else "one run"
    print(f"\nLighthouse 12.2.3, mobile, simulated throttling ({how}; targets: performance "
          "≥ 98, accessibility, best practices and SEO 100; ✗ under target)\n")
    print(f"| {'page':<37} | perf. | a11y  | b. p. |  SEO  |  FCP  |  LCP  |   TBT  |  CLS  |")
    print(f"| {'-' * 37} | ----: | ----: | ----: | ----: | ----: | ----: | -----: | ----: |")
    # (category, audit) -> {page: "score: value" as the first run that lost points saw it}
    under: dict[tuple[str, str], dict[str, str]] = {}
    names = {"performance": "performance", "accessibility": "accessibility",
             "bestPractices": "best-practices", "seo": "seo"}
    for index, first in enumerate(results[0]):
        pages = [run[index] for run in results]
        url = first["url"].split("?id=")[0] + ("?id=…" if "?id=" in first["url"] else "")

        def median(key: str, pages: list[dict] = pages) -> float:
            return statistics.median(page[key] for page in pages)

        scores = []
        for key, target in TARGETS.items():
            if key == "seo" and url.startswith(PRIVATE):
                scores.append(f"{median(key):3.0f} –")
                continue
            scores.append(f"{median(key):3.0f} {' ' if median(key) >= target else '✗'}")
            if median(key) < target:
                for page in pages:
                    for audit in page["losses"].get(names[key], []):
                        audit_id, _, why = audit.partition(" (")
                        under.setdefault((names[key], audit_id), {}).setdefault(url, why[:-1])
        print(f"| {url:<37} | {scores[0]} | {scores[1]} | {scores[2]} | {scores[3]} "
              f"| {median('fcp') / 1000:3.1f} s | {median('lcp') / 1000:3.1f} s "
              f"| {median('tbt'):3.0f} ms | {median('cls'):5.3f} |")
    if under:
        print("\nWhat keeps pages under target (audits under full score, `score: value`):")
        for (category, audit_id), where in under.items():
            print(f"  {category}, {audit_id}:")
            if len(set(where.values())) == 1:
                print(f"    {next(iter(where.values()))}\n    on {', '.join(where)}")
            else:
                for url, why in where.items():
                    print(f"    {url}  {why}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("LIGHTHOUSE_RUNS", 3)))
    parser.add_argument("--report", help="write the last run's user-flow report (HTML) here")
    args = parser.parse_args()
    if not (SITE / "index.html").is_file():
        raise SystemExit("The site is not built: run `make site` first.")
    weights()

    from tests.stack import start_stack

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        stack = start_stack(Path(tmp) / "state.json")
        try:
            print(f"\nLocal stack up in {time.perf_counter() - started:.1f} s at {stack.base_url}")
            results = lighthouse(stack.base_url, max(1, args.runs), args.report)
        finally:
            stack.stop()
    table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
