"""The calendar where it bites. At every instant of the date sweep (tests/sweep.py), the demo
mutuelle seeded for that day is right about « today » in Paris, the dates it shows, the year's
schedule of contributions and its turn, the card and the attestation of the year, the year's
counters, the opening hours, the slots a member may book, and the codes that expire across
midnight. On the real date these run with the rest of the suite."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from shared import clock
from shared.dates import PARIS, add_months
from support.logic.opening_hours import default_hours
from tests.helpers import ADVISOR, idempotency, sample_pdf, upload_file
from tests.integration.account_helpers import last_code, new_member, sign_in
from tests.payments import event, signed, signing_key
from tests.routes import estimate_body, request_body, teleconsultation_body

pytestmark = pytest.mark.dated
FATIMA = "fatima.l@example.fr"


def paris(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def estimate(api, care_date: date):
    return api.post("/claims/estimates", estimate_body(
        beneficiary_id="B02", care_date=care_date.isoformat(),
        practitioner={"sector": 1, "optam": True}), headers=idempotency())


def test_today_is_the_day_in_paris_and_times_carry_its_offset(api):
    """At 00:10 on 1 January UTC still says 31 December: « today » is 1 January."""
    before = clock.now()
    made = estimate(api, clock.today())
    after = clock.now()
    assert made.status == 201, made.body
    created = paris(made.body["created_at"])
    # Said in Paris time, with the offset of that instant (+01:00, or +02:00 in summer time,
    # the nights the clocks change included).
    assert before.replace(microsecond=0) <= created <= after
    assert created.utcoffset() == created.astimezone(PARIS).utcoffset()
    assert created.date() == created.astimezone(PARIS).date()
    assert api.call("DELETE", f"/claims/estimates/{made.body['id']}").status == 204
    # A reimbursement is asked for care that took place: today's is, tomorrow's is not yet.
    invoice = upload_file(api, sample_pdf())
    for day, status in ((clock.today() + timedelta(days=1), 422), (clock.today(), 201)):
        asked = api.post("/support/requests/reimbursement",
                         request_body(invoice, care_date=day.isoformat()),
                         headers=idempotency())
        assert asked.status == status, (day, asked.body)


def test_the_schedule_turns_with_the_year(api):
    today = clock.today()
    schedule = api.get("/contract/contributions").body
    assert schedule["year"] == today.year
    rows = {r["id"]: r for r in schedule["instalments"]}
    late = [r for r in rows.values() if r["status"] == "late"]
    # The seed leaves the last instalment due before today unpaid: last month's, or last
    # December's in January.
    last_due = max(d for d in (date(y, m, 5) for y in (today.year - 1, today.year)
                               for m in range(1, 13)) if d < today)
    assert [r["id"] for r in late] == [f"{last_due:%Y-%m}"]
    next_due = min(d for d in (date(y, m, 5) for y in (today.year, today.year + 1)
                               for m in range(1, 13)) if d >= today)
    horizon = add_months(today.replace(day=1), 2)
    for row in rows.values():
        due = date.fromisoformat(row["due_date"])
        assert due.year == today.year or row["status"] == "late" or due < horizon, row
    # The next instalment is shown — in December, next year's first — and is not due yet.
    assert rows[f"{next_due:%Y-%m}"]["status"] == "due"
    refused = api.post("/contract/payments", {
        "periods": [f"{next_due:%Y-%m}"], "amount_cents": rows[f"{next_due:%Y-%m}"][
            "amount_cents"]}, headers=idempotency())
    assert refused.status == 422 and refused.body["code"] == "not_due", refused.body

    # The late one is paid by card; it stays in her schedule, paid, even when it was last
    # year's.
    opened = api.post("/contract/payments", {"periods": [late[0]["id"]],
                                             "amount_cents": late[0]["amount_cents"]},
                      headers=idempotency())
    assert opened.status == 201, opened.body
    body = event(opened.body, "succeeded")
    assert api.post("/public/payments/notifications", body,
                    headers=signed(signing_key(api), body)).status == 200
    after = api.get("/contract/contributions").body
    paid = next(r for r in after["instalments"] if r["id"] == late[0]["id"])
    assert paid["status"] == "paid" and after["late_cents"] == 0
    assert paid["paid_on"] in {today.isoformat(), clock.today().isoformat()}
    # Its receipt is among this year's documents, dated as its number says.
    receipt = api.get("/documents", query="kind=receipt&limit=1").body["items"][0]
    made = paris(receipt["created_at"])
    assert receipt["year"] == made.astimezone(PARIS).year == clock.today().year
    assert f"D{made.astimezone(UTC):%Y%m%dT%H%M%S}-" == receipt["id"][:17]


def test_the_card_and_the_attestation_are_the_years(api):
    year = clock.today().year
    card = api.get("/contract/card").body
    assert (card["valid_from"], card["valid_to"]) == (f"{year}-01-01", f"{year}-12-31")
    code = card["check_url"].rsplit("c=", 1)[1]
    check = api.call("GET", f"/public/cards/{code}", claims={})
    assert check.status == 200 and check.body["valid"], check.body
    # Downloaded twice, even first at 00:10 on 1 January: one document.
    for _ in range(2):
        assert api.post("/contract/card/exports").status == 201
    cards = [d for d in api.get("/documents", query="kind=card&limit=100").body["items"]
             if str(year) in d["title"]]
    assert len(cards) == 1, cards
    made = api.post("/documents/attestations", {}, headers=idempotency())
    assert made.status == 201, made.body
    attestation = made.body["attestation"]
    assert (attestation["valid_from"], attestation["valid_until"]) == (f"{year}-01-01",
                                                                       f"{year}-12-31")
    assert attestation["status"] == "valid"


def test_the_counters_are_the_years(api):
    today = clock.today()
    counters = {c["id"]: c for c in api.get("/claims/counters").body["items"]}
    assert {c["year"] for c in counters.values()} == {today.year}
    claims = api.get("/claims", query=f"from={today.year}-01-01&to={today}&limit=100").body
    withheld: dict[str, int] = {}
    for claim in claims["items"]:
        detail = api.get(f"/claims/{claim['id']}").body
        withheld[claim["beneficiary_id"]] = withheld.get(claim["beneficiary_id"], 0) + \
            detail["deductibles_cents"]
    for bid, c in counters.items():
        assert c["participation"]["paid_cents"] <= c["participation"]["cap_cents"]
        assert c["participation"]["paid_cents"] + c["franchises"]["paid_cents"] == \
            withheld.get(bid, 0), (bid, c)
    last_year = api.get("/claims/counters", query=f"year={today.year - 1}")
    assert last_year.status == 200 and {c["year"] for c in last_year.body["items"]} == {
        today.year - 1}
    assert api.get("/claims/counters", query=f"year={today.year + 1}").status == 400


def test_statements_list_past_months_only(api):
    today = clock.today()
    months = api.get("/claims/statements").body["items"]
    ids = [m["id"] for m in months]
    assert ids == sorted(set(ids), reverse=True)
    assert all(m["id"] <= f"{today:%Y-%m}" for m in months)
    assert all(date.fromisoformat(m["period_end"]) <= add_months(today, 1) for m in months)


def test_the_advisors_answer_when_the_hours_say_so(api):
    now = clock.now()
    hours = default_hours()
    shown = api.get("/support/wait").body
    assert shown["open"] is hours.is_open(now)
    if not shown["open"]:
        opens = paris(shown["opens_at"])
        assert opens > now and hours.is_open(opens)
    # Every slot offered is bookable: 2 hours ahead at least, 14 days at most, within the
    # opening hours (Paris time, whatever the offset that day).
    for slot in api.get("/support/callback-slots").body["items"]:
        start, end = paris(slot["starts_at"]), paris(slot["ends_at"])
        assert now + timedelta(hours=2) <= start <= now + timedelta(days=14), slot
        assert hours.covers(start, end), slot
        assert start.utcoffset() == start.astimezone(PARIS).utcoffset()


def test_an_advisor_opens_a_slot_at_the_hour_she_means(api):
    """Two days ahead at 10:00 Paris time: 10:00 it is, in winter or summer time."""
    hours = default_hours()
    day = next(d for d in (clock.today() + timedelta(days=n) for n in range(2, 12))
               if any(s.hour <= 10 and e.hour >= 11 for s, e in
                      ((a.time(), b.time()) for a, b in hours.periods_on(d))))
    opened = api.post("/support/advisor/callback-slots",
                      {"day": day.isoformat(), "start": "10:00", "minutes": 15}, user=ADVISOR)
    if opened.status == 409:  # the seed's own slot there
        opened = api.post("/support/advisor/callback-slots",
                          {"day": day.isoformat(), "start": "09:00", "minutes": 15},
                          user=ADVISOR)
    assert opened.status == 201, opened.body
    start = paris(opened.body["items"][0]["starts_at"])
    assert start.astimezone(PARIS).date() == day
    assert start.astimezone(PARIS).hour in (9, 10) and start.astimezone(PARIS).minute == 0


def test_a_teleconsultation_two_days_ahead_keeps_its_hour(api):
    start = datetime.combine(clock.today() + timedelta(days=2),
                             datetime.min.time().replace(hour=10), PARIS)
    booked = api.post("/services/teleconsultations",
                      teleconsultation_body(slot_start=start.isoformat()),
                      headers=idempotency())
    assert booked.status == 201, booked.body
    assert paris(booked.body["starts_at"]) == start
    assert paris(booked.body["starts_at"]).utcoffset() == start.utcoffset()


def test_a_code_sent_before_midnight_works_after_it(api):
    """A sign-up code lives 15 minutes: sent at 23:50, it works at 00:04, not at 00:06."""
    info = new_member(api, account=False)
    number = info["member_id"]
    assert api.call("POST", "/public/accounts", body={
        "member_number": number, "birth_date": info["birth"], "email": info["email"]},
        claims={}, headers=idempotency()).status == 202
    code = last_code(info["email"])
    with time_machine.travel(clock.now() + timedelta(minutes=16), tick=False):
        late = api.call("POST", "/public/accounts/confirm", claims={}, body={
            "member_number": number, "code": code, "password": "Mon-Nouveau-Secret-26"})
    assert late.status == 422
    assert api.call("POST", "/public/accounts", body={
        "member_number": number, "birth_date": info["birth"], "email": info["email"]},
        claims={}, headers=idempotency()).status == 202
    code = last_code(info["email"])
    with time_machine.travel(clock.now() + timedelta(minutes=14), tick=False):
        on_time = api.call("POST", "/public/accounts/confirm", claims={}, body={
            "member_number": number, "code": code, "password": "Mon-Nouveau-Secret-26"})
    assert on_time.status == 201, on_time.body
    assert sign_in(api, info["email"], "Mon-Nouveau-Secret-26") is not None


def test_documents_are_listed_newest_first_with_paris_dates_and_years(api):
    # Made now: an attestation, and a file she sends (filed under the number its upload got
    # a moment before).
    assert api.post("/documents/attestations", {}, headers=idempotency()).status == 201
    upload_file(api, sample_pdf())
    items = api.get("/documents", query="limit=100").body["items"]
    created = [paris(d["created_at"]) for d in items]
    assert created == sorted(created, reverse=True)
    assert all(c <= clock.now() + timedelta(seconds=1) for c in created)
    assert all(c.utcoffset() == c.astimezone(PARIS).utcoffset() for c in created)
    # Filed under its year in Paris (at 00:10 on 1 January, the new year's).
    assert all(d["year"] == paris(d["created_at"]).astimezone(PARIS).year for d in items)
    newest = items[0]
    assert newest["year"] == clock.today().year or paris(newest["created_at"]).astimezone(
        PARIS).date() < clock.today()


def test_a_statement_straddles_the_years_end(api):
    today = clock.today()
    start = date(today.year - 1, 12, 1)
    made = api.post("/claims/statements/exports", {
        "from": start.isoformat(), "to": today.isoformat(), "format": "csv"}, headers=idempotency())
    assert made.status == 201, made.body
    assert made.body["filename"] == f"releve-prestations-{start}-au-{today}.csv"
    expires = paris(made.body["expires_at"])
    assert clock.now() < expires < clock.now() + timedelta(minutes=10)
    assert expires.utcoffset() == expires.astimezone(PARIS).utcoffset()
    tomorrow = (today + timedelta(days=1)).isoformat()
    later = api.post("/claims/statements/exports", {"from": tomorrow, "to": tomorrow,
                                                    "format": "csv"}, headers=idempotency())
    assert later.status == 422 and later.body["code"] == "invalid_period"
