"""Claims figures: the engine's time per estimate in process, and a 12-month statement of 500
lines as PDF and CSV. Each is printed beside a floor measured in the same run:
- engine: validating the same CareInput (pydantic) alone;
- statements: writing the same 500 rows with the csv module, unformatted.
"""

from __future__ import annotations

import csv
import io
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))

from claims.logic.statement_render import Statement, StatementLine, render_csv, render_pdf  # noqa: E402
from engine import BeneficiaryFacts, CareInput, History, compute  # noqa: E402


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def engine() -> None:
    rng = random.Random(1)
    benef = BeneficiaryFacts(id="B1", birth_date=date(1987, 4, 12))
    history = History.from_past([], beneficiary_id="B1", on=date(2026, 6, 1))
    cares = [dict(act_code=rng.choice(["G", "CS", "PH7", "B"]), care_date=date(2026, 6, 1),
                  price_cents=rng.randint(1000, 9000), sector=rng.choice([1, 2]),
                  optam=rng.random() < 0.5, care_pathway=True) for _ in range(500)]
    inputs = [CareInput(**c) for c in cares]
    compute(inputs[0], benef, formula_id="equilibre", history=history)  # load rules once

    def run_engine():
        for care in inputs:
            compute(care, benef, formula_id="equilibre", history=history)

    def run_floor():
        for c in cares:
            CareInput(**c)

    per_engine = timed(run_engine, 7) / len(inputs)
    per_floor = timed(run_floor, 7) / len(inputs)
    print(f"engine, per estimate           {per_engine * 1e6:9.1f} µs   "
          f"{per_engine / per_floor:6.1f} x the floor (CareInput validation "
          f"{per_floor * 1e6:.1f} µs)")


def statement() -> None:
    rng = random.Random(2)
    start = date(2025, 1, 1)
    lines = []
    for n in range(500):
        care = start + timedelta(days=rng.randint(0, 364))
        real = rng.randint(500, 20000)
        ss = real * 6 // 10
        lines.append(StatementLine(
            claim_id=f"C{n}", care_date=care, beneficiary_id=f"B{n % 3}",
            beneficiary_name=["Fatima Lambert", "Karim Lambert", "Inès Lambert"][n % 3],
            act_code="G", act_label="Consultation chez le médecin généraliste",
            practitioner="Dr Claire Moreau", real_cost_cents=real, base_cents=real,
            social_security_cents=ss, deductibles_cents=200, mutual_cents=real - ss - 200,
            out_of_pocket_cents=200, payment_date=care + timedelta(days=4),
            bank_account_masked="FR14 •••• •••• •••• •••• •••• 606"))
    st = Statement(brand_name="Mutuelle Clairval", member_name="Fatima Lambert",
                   member_number="2024001871", period_start=start,
                   period_end=date(2025, 12, 31), generated_on=date(2026, 1, 5),
                   beneficiary_names=["Fatima Lambert", "Karim Lambert", "Inès Lambert"],
                   lines=lines)

    def floor():
        out = io.StringIO()
        w = csv.writer(out, delimiter=";")
        for ln in lines:
            w.writerow([ln.care_date, ln.beneficiary_name, ln.act_label, ln.real_cost_cents,
                        ln.base_cents, ln.social_security_cents, ln.mutual_cents])

    render_pdf(st)  # import fpdf and load fonts once, as a warm container would
    f = timed(floor, 7)
    c = timed(lambda: render_csv(st), 7)
    p = timed(lambda: render_pdf(st), 5)
    size = len(render_pdf(st))
    print(f"statement 500 lines, CSV       {c * 1000:9.1f} ms   {c / f:6.1f} x the floor "
          f"(plain csv rows {f * 1000:.1f} ms)")
    print(f"statement 500 lines, PDF       {p * 1000:9.1f} ms   {p / f:6.1f} x the floor "
          f"({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    engine()
    statement()
