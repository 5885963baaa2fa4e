"""Real races on the local stack (its functions run concurrently, as on Lambda): two members
booking the same call-back slot at the same moment, and one member double-booking."""

import threading
import urllib.parse
import uuid

from tests.integration.test_access_matrix import Http
from tests.routes import ADVISOR, OTHER, OWNER, World, callback_body


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
         {"Idempotency-Key": str(uuid.uuid4())}) for who in (OWNER, OTHER)])
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
         {"Idempotency-Key": str(uuid.uuid4())}) for slot in (first, second)])
    assert sorted(status for status, _, _ in results) == [201, 409], results
    assert next(body for status, body, _ in results if status == 409)["code"] in (
        "callback_pending", "slot_taken")
    upcoming = [b for b in callbacks(http, OWNER) if b["upcoming"]]
    assert len(upcoming) == 1
    free(http, OWNER)
