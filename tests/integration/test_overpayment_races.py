"""Trop-perçus raced on the local stack (functions run concurrently, as on Lambda): two tabs
paying at the same moment open one checkout; paying and contesting at the same moment, one
of them wins and the other is refused, never both."""

import uuid

from tests.helpers import GESTION, idempotency
from tests.integration.test_races import race
from tests.overpay_samples import overpayment
from tests.routes import OWNER, Http, World


def sent(http) -> str:
    op_id = f"TP-RACE-{uuid.uuid4().hex[:8].upper()}"
    status, answer = http.call("POST", "/system/fhir", user=GESTION,
                               body=overpayment(World(http).member_id(), op_id=op_id))
    assert status == 200, answer
    return op_id


def shown(http, op_id: str) -> dict:
    return next(i for i in http.call("GET", "/claims/overpayments", user=OWNER)[1]["items"]
                if i["id"] == op_id)


def test_two_tabs_paying_at_once_open_one_checkout(local_stack):
    http = Http(local_stack)
    op_id = sent(http)
    body = {"overpayment_id": op_id, "amount_cents": 2340}
    results = race(http, [(OWNER, "POST", "/contract/payments", body, idempotency()),
                          (OWNER, "POST", "/contract/payments", body, idempotency())])
    opened = {answer["id"] for status, answer, _ in results if status == 201}
    assert len(opened) == 1, results
    assert all(status in (201, 409) for status, _, _ in results), results
    assert shown(http, op_id)["status"] == "paying"


def test_paying_and_contesting_at_once_one_wins(local_stack):
    http = Http(local_stack)
    op_id = sent(http)
    results = race(http, [
        (OWNER, "POST", "/contract/payments", {"overpayment_id": op_id, "amount_cents": 2340},
         idempotency()),
        (OWNER, "POST", f"/claims/overpayments/{op_id}/contest",
         {"message": "Je conteste ce trop-perçu."}, idempotency())])
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [201, 409], results
    status = shown(http, op_id)["status"]
    assert status in ("paying", "contested")
    refused = next(answer for s, answer, _ in results if s == 409)
    assert refused["message"]  # a French reason, shown as it is
