"""« Contact & aide »: the estimated wait follows the live queue and the advisors on duty, and
says when the service opens when nobody is there; call-back slots are opened by advisors within
the opening hours and booked once."""

from datetime import datetime, timedelta

import pytest
import time_machine

from shared import clock
from support.logic import wait
from support.logic.opening_hours import default_hours
from tests.helpers import ADVISOR, idempotency
from tests.routes import InProcess, World, callback_body

FATIMA, PAUL = "fatima.l@example.fr", "paul.m@example.fr"
OTHER_ADVISOR = "conseillere2@example.fr"
SEEDED_HANDLING = (7, 11, 6, 9, 8, 12, 7, 10, 6, 9, 8, 10)


def waiting(api) -> int:
    return len(api.get("/support/advisor/threads", user=ADVISOR,
                       query="box=waiting&limit=100").body["items"])


def during_opening_hours():
    """Travels to an hour into the next opening period (now, if it is open): the wait is only
    ever given when the advisors are open."""
    hours = default_hours()
    now = clock.now()
    period = hours.period_at(now)
    start = now if period and period[1] - now > timedelta(hours=1) else hours.next_opening(now)
    return time_machine.travel(start + timedelta(minutes=5), tick=True)


def test_the_wait_comes_from_the_queue_and_the_advisors_on_duty(api):
    handling = sum(SEEDED_HANDLING) / len(SEEDED_HANDLING)
    with during_opening_hours():
        for advisor, on in ((ADVISOR, True), (OTHER_ADVISOR, False)):
            api.call("PUT", "/support/advisor/duty", user=advisor, body={"on_duty": on})
        shown = api.get("/support/wait").body
        n = waiting(api)
        assert shown["open"] is True
        assert shown["minutes"] == round(n * handling / 1 + handling)  # one advisor on duty
        assert shown["label"] == f"≈ {wait.rounded(shown['minutes'])} d'attente estimée"

        # A new question lengthens the wait; a second advisor on duty shortens it.
        api.post("/support/threads", {"subject": "Une question", "message": "Bonjour."},
                 headers=idempotency())
        longer = api.get("/support/wait").body["minutes"]
        assert longer == round((n + 1) * handling + handling) > shown["minutes"]
        duty = api.call("PUT", "/support/advisor/duty", user=OTHER_ADVISOR,
                        body={"on_duty": True})
        assert duty.status == 200 and duty.body["on_duty"] is True
        assert duty.body["load"]["advisors_on_duty"] == 2
        shorter = api.get("/support/wait").body["minutes"]
        assert shorter == round((n + 1 - 2 + 1) * handling / 2 + handling) < longer

        # Nobody on duty: no figure, and what she can do meanwhile.
        for advisor in (ADVISOR, OTHER_ADVISOR):
            off = api.call("PUT", "/support/advisor/duty", user=advisor, body={"on_duty": False})
            assert off.status == 200 and off.body["on_duty"] is False
        nobody = api.get("/support/wait").body
        assert nobody["open"] is False and nobody["minutes"] is None
        assert nobody["label"] == "Aucun conseiller n'est disponible en ce moment"
        assert "rappelé" in nobody["detail"]
        assert nobody["hours"][0] == {"days": "Du lundi au jeudi", "hours": "9 h – 18 h"}
        assert nobody["hours"][-1] == {"days": "Les jours fériés", "hours": "fermé"}


@pytest.mark.parametrize(("moment", "label", "closed_day"), [
    # A Sunday afternoon, with nobody on duty.
    (datetime(2026, 11, 29, 16, 0), "Nos conseillers vous répondent à partir de demain à 9 h",
     None),
    # A Sunday evening, an advisor still on duty: no wait is promised, the service is closed.
    (datetime(2026, 12, 6, 21, 10), "Nos conseillers vous répondent à partir de demain à 9 h",
     None),
    # New Year's Eve at 23:50: New Year's Day is a public holiday, Saturday opens.
    (datetime(2026, 12, 31, 23, 50),
     "Nos conseillers vous répondent à partir de samedi 2 janvier à 9 h", None),
    # New Year's Day itself.
    (datetime(2027, 1, 1, 10, 0), "Nos conseillers vous répondent à partir de demain à 9 h",
     "Jour de l'an"),
    # Easter Monday, in the morning.
    (datetime(2027, 3, 29, 9, 30), "Nos conseillers vous répondent à partir de demain à 9 h",
     "Lundi de Pâques"),
], ids=["sunday", "sunday evening on duty", "new year's eve", "new year's day",
        "easter monday"])
def test_outside_opening_hours_the_page_says_closed_and_when_it_opens(
        api, moment, label, closed_day):
    at = moment.replace(tzinfo=clock.PARIS)
    with time_machine.travel(at, tick=False):
        on_duty = moment.hour == 21  # Camille forgot to leave (or answers late): no wait said
        api.call("PUT", "/support/advisor/duty", user=ADVISOR, body={"on_duty": on_duty})
        api.call("PUT", "/support/advisor/duty", user=OTHER_ADVISOR, body={"on_duty": False})
        closed = api.get("/support/wait").body
    assert closed["open"] is False and closed["minutes"] is None
    assert closed["label"] == label
    assert closed["closed_day"] == closed_day
    assert "d'attente" not in closed["label"]
    assert "choisir un créneau pour être rappelé" in closed["detail"]
    assert ("jour férié" in closed["detail"]) is (closed_day is not None)
    opens = datetime.fromisoformat(closed["opens_at"])
    assert opens > at and default_hours().is_open(opens)


def test_advisors_see_the_load_the_model_computes(api):
    load = api.get("/support/advisor/duty", user=ADVISOR).body["load"]
    assert load["handling_samples"] == len(SEEDED_HANDLING)
    assert load["handling_minutes"] == pytest.approx(
        sum(SEEDED_HANDLING) / len(SEEDED_HANDLING), abs=0.05)
    assert load["waiting"] == waiting(api)
    assert load["estimate_minutes"] == api.get("/support/wait").body["minutes"]
    assert load["advisors_needed"] >= 1


def test_a_slot_is_booked_once_and_given_back_when_cancelled(api):
    world = World(InProcess(api))
    slot_id = world.slot_id()
    offered = [s["id"] for s in api.get("/support/callback-slots").body["items"]]
    assert slot_id in offered
    now = clock.now()
    for s in api.get("/support/callback-slots").body["items"]:
        starts = datetime.fromisoformat(s["starts_at"])
        assert now + timedelta(hours=2) <= starts <= now + timedelta(days=14)

    booked = api.post("/support/callbacks", callback_body(slot_id), headers=idempotency())
    assert booked.status == 201, booked.body
    assert booked.body["phone"] == "06 12 34 56 78" and booked.body["can_cancel"]
    assert slot_id not in [s["id"] for s in api.get("/support/callback-slots").body["items"]]
    seen = {s["id"]: s for s in api.get("/support/advisor/callback-slots",
                                        user=ADVISOR).body["items"]}
    assert seen[slot_id]["status"] == "booked"
    assert seen[slot_id]["member_name"] == "Fatima Lambert"
    assert seen[slot_id]["phone"] == "06 12 34 56 78"

    # Paul wants the same slot: it is taken. Fatima wants a second call-back: one at a time.
    for call in api.get("/support/callbacks", user=PAUL).body["items"]:
        if call["can_cancel"]:
            api.post(f"/support/callbacks/{call['id']}/cancel", user=PAUL)
    taken = api.post("/support/callbacks", callback_body(slot_id), user=PAUL, headers=idempotency())
    assert taken.status == 409 and taken.body["code"] == "slot_taken"
    other = world.advisor("POST", "/support/advisor/callback-slots", {
        "day": world.free_slot_start()[0], "start": world.free_slot_start()[1],
        "minutes": 15})["items"][0]["id"]
    second = api.post("/support/callbacks", callback_body(other), headers=idempotency())
    assert second.status == 409 and second.body["code"] == "callback_pending"

    cancelled = api.post(f"/support/callbacks/{slot_id}/cancel")
    assert cancelled.status == 200 and cancelled.body["status"] == "cancelled"
    assert api.post(f"/support/callbacks/{slot_id}/cancel").status == 409
    assert slot_id in [s["id"] for s in api.get("/support/callback-slots").body["items"]]
    again = api.post("/support/callbacks", callback_body(slot_id), user=PAUL, headers=idempotency())
    assert again.status == 201
    api.post(f"/support/callbacks/{slot_id}/cancel", user=PAUL)


@pytest.mark.parametrize("over, status, code", [
    ({"phone": "12345"}, 400, "invalid_input"),
    ({"phone": "01 23 45 67 8X"}, 422, "phone"),
    ({"phone": "+44 20 7946 0958"}, 422, "phone"),
    ({"slot_id": "S20260101T0900-00000000"}, 404, "not_found"),
    ({"slot_id": "pas-un-creneau"}, 404, "not_found"),
    ({"topic": ""}, 400, "invalid_input"),
])
def test_a_bad_booking_gets_a_french_4xx_and_books_nothing(api, over, status, code):
    world = World(InProcess(api))
    slot_id = world.slot_id()
    r = api.post("/support/callbacks", {**callback_body(slot_id), **over}, headers=idempotency())
    assert (r.status, r.body["code"]) == (status, code), r.body
    assert slot_id in [s["id"] for s in api.get("/support/callback-slots").body["items"]]


def test_advisors_open_slots_within_the_opening_hours_only(api):
    world = World(InProcess(api))
    day, start = world.free_slot_start()
    sunday = next(d for d in (clock.now().date() + timedelta(days=i) for i in range(3, 10))
                  if d.weekday() == 6)
    late = api.post("/support/advisor/callback-slots",
                    {"day": sunday.isoformat(), "start": "10:00"}, user=ADVISOR)
    assert late.status == 422 and "horaires d'ouverture" in late.body["message"]
    past = api.post("/support/advisor/callback-slots",
                    {"day": "2020-01-06", "start": "10:00"}, user=ADVISOR)
    assert past.status == 422
    body = {"day": day, "start": start, "minutes": 15}
    first = api.post("/support/advisor/callback-slots", body, user=ADVISOR)
    again = api.post("/support/advisor/callback-slots", body, user=ADVISOR)
    assert (first.status, again.status) == (201, 409)
    # A colleague may open the same time: members are offered the time once.
    colleague = api.post("/support/advisor/callback-slots", body, user=OTHER_ADVISOR)
    assert colleague.status == 201
    starts = [s["starts_at"] for s in api.get("/support/callback-slots").body["items"]]
    assert len(starts) == len(set(starts))
    assert default_hours().is_open(datetime.fromisoformat(first.body["items"][0]["starts_at"]))


def test_going_on_duty_takes_true_or_false_only(api):
    """Found by the contract gate once advisors' routes ran with an advisor's token: 0 (or
    "oui") put an advisor on or off duty. A bad value is a 400 and changes nothing."""
    before = api.call("GET", "/support/advisor/duty", user=ADVISOR).body["on_duty"]
    for value in (0, 1, "oui", "true", None):
        r = api.call("PUT", "/support/advisor/duty", user=ADVISOR, body={"on_duty": value})
        assert r.status == 400 and "on_duty" in r.body["fields"], (value, r.body)
    assert api.call("GET", "/support/advisor/duty", user=ADVISOR).body["on_duty"] is before
