"""Claims figures: the engine's time per estimate in process, and a 12-month statement of 500
lines as PDF and CSV. Each is printed beside a floor measured in the same run:
- engine: validating the same CareInput (pydantic) alone; the estimates mix the régime
  général with ALD, C2S, maternity and Alsace-Moselle beneficiaries, and the time is the best
  of several runs (the least disturbed by other work on the machine) as well as the median;
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
from domain.situation import Ald, Period, Pregnancy, Situation  # noqa: E402
from engine import BeneficiaryFacts, CareInput, History, compute  # noqa: E402


def samples(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def timed(fn, runs: int) -> float:
    return statistics.median(samples(fn, runs))


def engine() -> None:
    rng = random.Random(1)
    day = date(2026, 6, 1)
    general = BeneficiaryFacts(id="B1", birth_date=date(1987, 4, 12))
    ald = Situation(ald=(Ald(start=date(2024, 1, 1), label="Diabète de type 2"),))
    people = [general] * 6 + [
        BeneficiaryFacts(id="B1", birth_date=date(1960, 2, 1), situation=ald),
        BeneficiaryFacts(id="B1", birth_date=date(1990, 3, 4),
                         situation=Situation(c2s=(Period(start=date(2026, 1, 1)),))),
        BeneficiaryFacts(id="B1", birth_date=date(1994, 7, 9), situation=Situation(
            pregnancies=(Pregnancy(expected_birth_date=date(2026, 8, 1)),))),
        BeneficiaryFacts(id="B1", birth_date=date(1979, 5, 6),
                         situation=Situation(regime="alsace_moselle")),
    ]
    history = History.from_past([], beneficiary_id="B1", on=day)
    cases = []
    for _ in range(500):
        benef = rng.choice(people)
        code = rng.choice(["G", "CS", "PH7", "B"])
        regulated = benef.situation.c2s or code in ("PH7", "B")
        cases.append((dict(act_code=code, care_date=day,
                           price_cents=3000 if code == "G" and regulated else
                           3150 if regulated else rng.randint(1000, 9000),
                           sector=1 if benef.situation.c2s else rng.choice([1, 2]),
                           optam=rng.random() < 0.5, care_pathway=True,
                           ald_related=bool(benef.situation.ald) and rng.random() < 0.5),
                      benef))
    inputs = [(CareInput(**c), b) for c, b in cases]
    for care, benef in inputs:  # load the rules once, as a warm container would
        compute(care, benef, formula_id="equilibre", history=history)

    def run_engine():
        for care, benef in inputs:
            compute(care, benef, formula_id="equilibre", history=history)

    def run_floor():
        for c, _ in cases:
            CareInput(**c)

    engine_runs = samples(run_engine, 15)
    per_engine = statistics.median(engine_runs) / len(inputs)
    best_engine = min(engine_runs) / len(inputs)
    per_floor = min(samples(run_floor, 15)) / len(inputs)
    print(f"engine, per estimate           {best_engine * 1e6:9.1f} µs   "
          f"{best_engine / per_floor:6.1f} x the floor (CareInput validation "
          f"{per_floor * 1e6:.1f} µs) ; median {per_engine * 1e6:.1f} µs")


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
