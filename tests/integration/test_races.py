"""Real races on the local stack (its functions run concurrently, as on Lambda): an advisor's
double click, two advisors at once — accepting happens exactly once; two members booking the
same call-back slot at the same moment, and one member double-booking."""

import threading
import urllib.parse

from tests.helpers import idempotency
from tests.routes import ADVISOR, OTHER, OWNER, Http, World, callback_body

OTHER_ADVISOR = "conseillere2@example.fr"


def test_accepting_twice_at_once_sends_for_payment_once(local_stack):
    http = Http(local_stack)
    world = World(http)
    request_id = world.request_id()
    ref = f"{world.member_id()}_{request_id}"
    claims_before = len(http.call("GET", "/claims?limit=100", user=OWNER)[1]["items"])

    # Two advisors take it at the same moment: one gets it.
    results = []
    barrier = threading.Barrier(2)

    def act(user, action, version):
        barrier.wait()
        results.append((*http.call("POST", f"/support/advisor/requests/{ref}/{action}",
                                   user=user, body={"version": version}), user))

    threads = [threading.Thread(target=act, args=(who, "take", 1))
               for who in (ADVISOR, OTHER_ADVISOR)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(s for s, _, _ in results) == [200, 409], results
    _, taken, winner = next(r for r in results if r[0] == 200)
    version = taken["version"]

    # The winner double-clicks « Accepter »: one reimbursement sent for payment (its event is
    # in the same transaction as the claim: one claim, one event).
    results.clear()
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=act, args=(winner, "accept", version))
               for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(s for s, _, _ in results) == [200, 409], results
    claims = http.call("GET", "/claims?limit=100", user=OWNER)[1]["items"]
    assert len(claims) == claims_before + 1
    assert http.call("GET", f"/support/requests/{request_id}", user=OWNER)[1]["status"] == \
        "payment_requested"


# ----------------------------------------------------------------------------- call-backs
class As:
    def __init__(self, http, user) -> None:
        self.http, self.user = http, user

    def call(self, method, path, *, user=None, body=None, headers=None):
        return self.http.call(method, path, user=user or self.user, body=body, headers=headers)


def race(http, calls):
    """Run every (user, method, path, body, headers) at the same moment."""
    results = []
    barrier = threading.Barrier(len(calls))

    def run(user, method, path, body, headers):
        barrier.wait()
        results.append((*http.call(method, path, user=user, body=body, headers=headers),
                        user))

    threads = [threading.Thread(target=run, args=call) for call in calls]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return results


def callbacks(http, user):
    """All her call-backs, every page (other tests on this stack may have left many)."""
    found, cursor = [], None
    while True:
        query = "limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        page = http.call("GET", f"/support/callbacks?{query}", user=user)[1]
        found += page["items"]
        cursor = page["next"]
        if not cursor:
            return found


def free(http, user):
    for booking in callbacks(http, user):
        if booking["can_cancel"]:
            assert http.call("POST", f"/support/callbacks/{booking['id']}/cancel",
                             user=user)[0] == 200


def test_two_members_booking_one_slot_at_once_get_it_once(local_stack):
    http = Http(local_stack)
    slot_id = World(As(http, OWNER)).slot_id()
    free(http, OTHER)
    results = race(http, [
        (who, "POST", "/support/callbacks", callback_body(slot_id),
         idempotency()) for who in (OWNER, OTHER)])
    assert sorted(status for status, _, _ in results) == [201, 409], results
    loser = next(body for status, body, _ in results if status == 409)
    assert loser["code"] == "slot_taken" and "choisissez-en un autre" in loser["message"]
    winner = next(user for status, _, user in results if status == 201)
    slots = {s["id"]: s for s in http.call("GET", "/support/advisor/callback-slots",
                                           user=ADVISOR)[1]["items"]}
    assert slots[slot_id]["status"] == "booked"
    assert slots[slot_id]["member_name"] == {OWNER: "Fatima Lambert",
                                             OTHER: "Paul Martin"}[winner]
    booked = [b for who in (OWNER, OTHER)
              for b in callbacks(http, who)
              if b["id"] == slot_id and b["status"] == "booked"]
    assert len(booked) == 1
    free(http, winner)


def test_one_member_booking_two_slots_at_once_gets_one(local_stack):
    http = Http(local_stack)
    world = World(As(http, OWNER))
    first, second = world.slot_id(), world.slot_id()
    results = race(http, [
        (OWNER, "POST", "/support/callbacks", callback_body(slot),
         idempotency()) for slot in (first, second)])
    assert sorted(status for status, _, _ in results) == [201, 409], results
    assert next(body for status, body, _ in results if status == 409)["code"] in (
        "callback_pending", "slot_taken")
    upcoming = [b for b in callbacks(http, OWNER) if b["upcoming"]]
    assert len(upcoming) == 1
    free(http, OWNER)
