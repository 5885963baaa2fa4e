"""The termination rules (contract/data/termination_rules.json) and their dates: « today » is
the date in Paris (shared.clock), one month later clamps to the month's last day, the annual
deadline wants two months' notice, and the clock's edges (31 December 23:50, 1 January, 29
February, the nights the clocks change) fall on the right day."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from pypdf import PdfReader

from contract.logic import termination as t
from domain.membership import Contract
from shared import clock
from tests.helpers import plain


def contract(start: date = date(2024, 1, 1), **over) -> Contract:
    return Contract(id="CT1", formula_id="essentielle", formula_label="Essentielle",
                    start_date=start, **over)


def test_every_rule_has_a_source_and_says_whether_it_is_confirmed():
    data = t.rules()
    codes = [r["code"] for r in data["reasons"]]
    assert codes == ["infra_annual", "situation_change", "employer_contract", "c2s", "death",
                     "other"]
    for r in data["reasons"]:
        assert r["source"] and r["rule"] and isinstance(r["confirmed"], bool)
        assert r["needs_document"] == ("document_hint" in r)
    assert "L221-10-2" in t.rule("infra_annual")["source"]
    assert t.rule("infra_annual")["in_force"] == "2020-12-01"
    assert "L221-17" in t.rule("situation_change")["source"]
    assert "L221-10" in t.rule("other")["source"]
    assert "2023-182" in data["online"]["source"]
    assert all(d["source"] for d in data["dispense"])


@pytest.mark.parametrize("received, effective", [
    (date(2027, 1, 31), date(2027, 2, 28)),
    (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
    (date(2028, 1, 29), date(2028, 2, 29)),
    (date(2028, 2, 29), date(2028, 3, 29)),
    (date(2027, 3, 31), date(2027, 4, 30)),
    (date(2026, 12, 31), date(2027, 1, 31)),
    (date(2027, 1, 1), date(2027, 2, 1)),
])
def test_one_month_after_notification_clamps_to_the_months_end(received, effective):
    assert t.effective_on("infra_annual", received) == effective
    assert t.effective_on("situation_change", received, date(2026, 12, 1)) == effective


@pytest.mark.parametrize("received, effective", [
    (date(2026, 10, 31), date(2026, 12, 31)),  # two months before: this year
    (date(2026, 11, 1), date(2027, 12, 31)),  # too late: next year's due date
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 12, 31), date(2027, 12, 31)),
    (date(2028, 2, 29), date(2028, 12, 31)),
])
def test_the_annual_deadline_wants_two_months_notice(received, effective):
    assert t.effective_on("other", received) == effective


def test_death_and_c2s_take_their_dates_from_the_event():
    assert t.effective_on("death", date(2027, 3, 10), date(2027, 3, 2)) == date(2027, 3, 2)
    # The C2S starts later: that day; already started: the day after the request.
    assert t.effective_on("c2s", date(2027, 3, 10), date(2027, 4, 1)) == date(2027, 4, 1)
    assert t.effective_on("c2s", date(2027, 3, 10), date(2027, 2, 1)) == date(2027, 3, 11)
    assert t.effective_on("c2s", date(2028, 2, 28), date(2028, 1, 1)) == date(2028, 2, 29)


def test_infra_annual_opens_on_the_first_anniversary():
    joined = contract(date(2027, 2, 28))
    assert not t.reason_out("infra_annual", joined, date(2028, 2, 27)).available
    assert t.reason_out("infra_annual", joined, date(2028, 2, 28)).available
    leap = contract(date(2028, 2, 29))  # a year later is 28 February
    closed = t.reason_out("infra_annual", leap, date(2029, 2, 27))
    assert not closed.available and "28 février 2029" in closed.why_not
    assert t.reason_out("infra_annual", leap, date(2029, 2, 28)).available


def test_the_event_window_is_three_months_back_to_today():
    option = t.reason_out("situation_change", contract(), date(2027, 5, 31))
    assert option.needs_event_date and option.needs_document
    assert (option.event_min, option.event_max) == (date(2027, 2, 28), date(2027, 5, 31))
    assert option.effective_on is None
    other = t.reason_out("other", contract(), date(2027, 5, 31))
    assert not other.needs_event_date and other.effective_on == date(2027, 12, 31)


# (UTC instant, the date in Paris): the clock's edges.
EDGES = [
    (datetime(2026, 12, 31, 22, 50, tzinfo=UTC), date(2026, 12, 31)),  # 23:50 in Paris
    (datetime(2026, 12, 31, 23, 10, tzinfo=UTC), date(2027, 1, 1)),  # 00:10 in Paris
    (datetime(2028, 2, 29, 10, 0, tzinfo=UTC), date(2028, 2, 29)),
    (datetime(2028, 2, 28, 23, 30, tzinfo=UTC), date(2028, 2, 29)),  # 00:30 in Paris
    # Spring forward: 01:59 CET, then 03:00 CEST, the same day in Paris.
    (datetime(2027, 3, 28, 0, 59, tzinfo=UTC), date(2027, 3, 28)),
    (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), date(2027, 3, 28)),
    (datetime(2027, 3, 27, 22, 59, tzinfo=UTC), date(2027, 3, 27)),  # 23:59 CET
    # Fall back: 02:30 happens twice; 23:30 UTC the day before is already the 31st.
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), date(2026, 10, 25)),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), date(2026, 10, 25)),
    (datetime(2027, 10, 30, 22, 30, tzinfo=UTC), date(2027, 10, 31)),  # 00:30 CEST
    (datetime(2027, 10, 31, 22, 50, tzinfo=UTC), date(2027, 10, 31)),  # 23:50 CET
]


@pytest.mark.parametrize("instant, paris_day", EDGES, ids=[e[0].isoformat() for e in EDGES])
def test_the_request_is_received_on_the_paris_date(instant, paris_day):
    with time_machine.travel(instant, tick=False):
        today = clock.today()
        options = {o.code: o for o in (t.reason_out(r["code"], contract(), today)
                                       for r in t.rules()["reasons"])}
    assert today == paris_day
    from shared.dates import add_months

    assert options["infra_annual"].effective_on == add_months(paris_day, 1)
    notice_by = date(paris_day.year, 10, 31)
    expected_year = paris_day.year if paris_day <= notice_by else paris_day.year + 1
    assert options["other"].effective_on == date(expected_year, 12, 31)


def test_31_october_late_evening_still_makes_this_years_deadline():
    # 23:50 in Paris on 31 October 2027 (CET, after the clocks went back) is 22:50 UTC.
    with time_machine.travel(datetime(2027, 10, 31, 22, 50, tzinfo=UTC), tick=False):
        assert t.reason_out("other", contract(), clock.today()).effective_on == \
            date(2027, 12, 31)
    # 00:10 in Paris on 1 November is 23:10 UTC on 31 October: already too late.
    with time_machine.travel(datetime(2027, 10, 31, 23, 10, tzinfo=UTC), tick=False):
        assert t.reason_out("other", contract(), clock.today()).effective_on == \
            date(2028, 12, 31)


def test_the_effects_say_the_last_day_and_how_long_documents_stay():
    said = " ".join(t.effects("infra_annual", date(2027, 2, 28)))
    assert "28 février 2027 inclus" in said and "28 février 2032" in said
    assert "jour du décès" in " ".join(t.effects("death", date(2027, 2, 1)))


def test_the_acknowledgement_letter_says_the_dates_and_effects():
    from contract.logic.termination_letter import Letter, render

    pdf = render(Letter(
        brand_name="Mutuelle Clairval", brand_address=None, member_name="Paul Martin",
        member_number="2023004412", contract_number="CT-2023004412-01",
        formula_label="Essentielle", reference="RE-2026-ABCDEF12",
        received_at=datetime(2026, 12, 31, 22, 50, tzinfo=UTC),
        reason_label="Résiliation après la première année d'adhésion", event_date=None,
        effective_on=date(2027, 1, 31), rule=t.rule("infra_annual")["rule"],
        source=t.rule("infra_annual")["source"],
        effects=tuple(t.effects("infra_annual", date(2027, 1, 31)))), compress=False)
    assert pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(plain(text).split())
    assert "Reçue le 31 décembre 2026 à 23:50" in flat
    assert "prend effet le 31 janvier 2027" in flat
    assert "RE-2026-ABCDEF12" in flat and "L221-10-2" in flat
