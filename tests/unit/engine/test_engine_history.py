"""History aggregation, counters and renewal dates."""

from __future__ import annotations

from datetime import date

from engine import BeneficiaryFacts, CareInput, History, PastCare, compute, counters

ADULT = BeneficiaryFacts(id="B1", birth_date=date(1988, 5, 12))


def past(day: date, benef: str = "B1", **kw) -> PastCare:
    return PastCare(beneficiary_id=benef, care_date=day, act_code=kw.pop("act_code", "G"), **kw)


def test_from_past_aggregates_per_year_and_filters() -> None:
    items = [
        past(date(2025, 12, 31), participation_cents=200, practitioner_id="DR1"),
        past(date(2026, 1, 5), participation_cents=200, practitioner_id="DR1"),
        past(date(2026, 1, 5), participation_cents=200, practitioner_id="DR1"),
        past(date(2026, 1, 6), act_code="PH7", franchise_cents=300, franchise_kind="box"),
        past(
            date(2026, 2, 1),
            act_code="OSTEO",
            forfait_key="alternative_medicine",
            forfait_cents=4000,
        ),
        past(date(2026, 2, 1), act_code="OPT-A", renewal="optics"),
        past(date(2026, 1, 1), benef="B2", participation_cents=200),  # someone else
        past(date(2026, 6, 1), participation_cents=200),  # after `on`
    ]
    h = History.from_past(items, beneficiary_id="B1", on=date(2026, 3, 1))
    assert h.year(2025).participation_cents == 200
    assert h.year(2026).participation_cents == 400
    assert h.year(2026).franchise_cents == 300
    assert h.year(2026).forfaits_cents == {"alternative_medicine": 4000}
    assert h.participation_on(date(2026, 1, 5), "DR1") == 400
    assert h.franchise_on(date(2026, 1, 6), "box") == 300
    assert h.last_optics_date == date(2026, 2, 1)
    assert h.last_hearing_date is None
    assert h.year(2024).participation_cents == 0
    # JSON round trip (years keyed by int come back as int).
    assert History.model_validate(h.model_dump(mode="json")) == h


def test_add_equals_from_past() -> None:
    items = [
        past(date(2026, 1, d), participation_cents=200, practitioner_id="DR1") for d in range(1, 5)
    ]
    built = History.from_past(items, "B1", on=date(2026, 3, 1))
    replayed = History.empty("B1", on=date(2026, 3, 1))
    for item in items:
        replayed = replayed.add(item)
    assert replayed == built


def test_replaying_a_year_of_consultations_reaches_the_cap() -> None:
    """Replaying cares one by one, as the demo seed does: the €50 cap stops the €2."""
    history = History.empty("B1")
    withheld = []
    for week in range(30):
        day = date(2026, 1, 5).fromordinal(date(2026, 1, 5).toordinal() + 7 * week)
        b = compute(
            CareInput(act_code="G", care_date=day, price_cents=3000), ADULT, "equilibre", history
        )
        withheld.append(b.totals.deductibles_cents)
        history = history.add(b.to_past())
    assert sum(withheld) == 5000
    assert withheld[:25] == [200] * 25 and withheld[25:] == [0] * 5


def test_multi_year_forfait_periods_start_at_first_use() -> None:
    h = History.from_past(
        [
            past(date(2024, 3, 1), forfait_key="optics", forfait_cents=10000),
            past(date(2025, 1, 1), forfait_key="optics", forfait_cents=5000),
            past(date(2026, 4, 1), forfait_key="optics", forfait_cents=2000),
        ],
        "B1",
    )
    assert h.forfait_used("optics", 24, date(2025, 6, 1)) == (
        15000,
        date(2024, 3, 1),
        date(2026, 2, 28),
    )
    assert h.forfait_used("optics", 24, date(2026, 3, 15)) == (0, None, None)
    assert h.forfait_used("optics", 24, date(2026, 5, 1)) == (
        2000,
        date(2026, 4, 1),
        date(2028, 3, 31),
    )
    assert h.forfait_used("optics", None, date(2025, 6, 1))[0] == 5000


def test_counters() -> None:
    items = [past(date(2026, 1, d), participation_cents=200) for d in range(1, 11)] + [
        past(date(2026, 2, 1), act_code="PH7", franchise_cents=700, franchise_kind="box"),
        past(
            date(2026, 2, 3),
            act_code="OSTEO",
            forfait_key="alternative_medicine",
            forfait_cents=4000,
        ),
        past(
            date(2025, 9, 1),
            act_code="OPT-B-MONT",
            renewal="optics",
            forfait_key="optics",
            forfait_cents=10000,
        ),
        past(date(2024, 6, 1), act_code="AUD-1", renewal="hearing"),
    ]
    h = History.from_past(items, "B1", on=date(2026, 3, 1))
    c = counters(h, ADULT, "equilibre", 2026)
    assert c.as_of == date(2026, 3, 1)
    assert (c.participation_paid_cents, c.participation_cap_cents) == (2000, 5000)
    assert (c.franchise_paid_cents, c.franchise_cap_cents) == (700, 5000)
    forfaits = {f.key: f for f in c.forfaits}
    assert forfaits["alternative_medicine"].left_cents == 8000
    assert forfaits["alternative_medicine"].label == "Forfait médecines douces"
    assert forfaits["optics"].used_cents == 10000
    assert forfaits["optics"].left_cents == 15000
    assert forfaits["optics"].period_end == date(2027, 8, 31)
    assert forfaits["hearing"].used_cents == 0
    assert c.optics_next_date == date(2027, 9, 1)
    assert c.hearing_next_date == date(2028, 6, 1)
    assert c.optics_renewal_label == "tous les 2 ans à partir de 16 ans"
    assert c.model_dump(mode="json")["optics_next_date"] == "2027-09-01"

    nothing = counters(History.empty("B1"), ADULT, "essentielle", 2025)
    assert nothing.as_of == date(2025, 12, 31)
    assert nothing.optics_next_date is None and nothing.hearing_next_date is None
    assert {f.key for f in nothing.forfaits} == {"optics", "hearing"}


def test_renewal_dates_depend_on_age() -> None:
    toddler = BeneficiaryFacts(id="B1", birth_date=date(2023, 1, 1))
    child = BeneficiaryFacts(id="B1", birth_date=date(2015, 1, 1))
    teen = BeneficiaryFacts(id="B1", birth_date=date(2010, 6, 1))  # 16 on 2026-06-01
    h = History.from_past([past(date(2025, 9, 1), act_code="OPT-A", renewal="optics")], "B1")
    # Under 6: every year (after 6 months only when the frame no longer fits: domain-fr.md).
    assert counters(h, toddler, "equilibre", 2026).optics_next_date == date(2026, 9, 1)
    assert counters(h, child, "equilibre", 2026).optics_next_date == date(2026, 9, 1)
    # A year later the teenager is 16: the 2-year rule applies.
    assert counters(h, teen, "equilibre", 2026).optics_next_date == date(2027, 9, 1)
