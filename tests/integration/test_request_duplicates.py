"""The same reimbursement request sent twice (issue 18, « what a new user met » 9): the member
is told before sending (and may still send), the advisor sees the likely duplicate."""

from datetime import timedelta

from shared import clock
from tests.helpers import ADVISOR, advisor_ref, idempotency, process, sample_pdf, upload_file

CHECK = "/support/requests/reimbursement/duplicates"


def care(**over):
    return {"beneficiary_id": "B02", "act_code": "G",
            "care_date": (clock.today() - timedelta(days=5)).isoformat(), "amount_cents": 2500,
            **over}


def send(api, **over):
    r = api.post("/support/requests/reimbursement",
                 {**care(**over), "upload_ids": [upload_file(api, sample_pdf())]},
                 headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def test_the_member_is_told_before_sending_the_same_care_again(api):
    assert api.post(CHECK, care()).body == []
    first = send(api)
    found = api.post(CHECK, care())
    assert found.status == 200
    assert [(r["id"], r["reference"], r["status_label"]) for r in found.body] == [
        (first["id"], first["reference"], "Envoyée")]
    # Another amount, date or person is another care.
    assert api.post(CHECK, care(amount_cents=2600)).body == []
    assert api.post(CHECK, care(beneficiary_id="B01")).body == []
    # Paul sees nothing of Fatima's requests.
    assert api.post(CHECK, care(), user="paul.m@example.fr").body == []
    assert api.post(CHECK, care(act_code="XYZ")).status == 422
    assert api.post(CHECK, {**care(), "upload_ids": []}).status in (400, 422)


def test_she_may_still_send_it_and_the_advisor_sees_the_duplicate(api):
    first = send(api, amount_cents=4100)
    second = send(api, amount_cents=4100)  # warned, she sends all the same
    shown = api.get(f"/support/advisor/requests/{advisor_ref(api, second)}", user=ADVISOR)
    assert [r["reference"] for r in shown.body["duplicates"]] == [first["reference"]]
    other = api.get(f"/support/advisor/requests/{advisor_ref(api, first)}", user=ADVISOR)
    assert [r["reference"] for r in other.body["duplicates"]] == [second["reference"]]
    # A refused request is no duplicate: sending it again may be what the refusal asked.
    process(api, first, "refuse", "Il manque la feuille de soins.")
    shown = api.get(f"/support/advisor/requests/{advisor_ref(api, second)}", user=ADVISOR)
    assert shown.body["duplicates"] == []
    assert [r["id"] for r in api.post(CHECK, care(amount_cents=4100)).body] == [second["id"]]
