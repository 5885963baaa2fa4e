"""Real races on the local stack (its functions run concurrently, as on Lambda): an advisor's
double click, two advisors at once — accepting happens exactly once."""

import threading
import uuid

import requests

from tests.helpers import sample_pdf
from tests.integration.test_access_matrix import Http
from tests.routes import ADVISOR, OWNER

OTHER_ADVISOR = "conseillere2@example.fr"


def test_accepting_twice_at_once_pays_once(local_stack):
    http = Http(local_stack)
    pdf = sample_pdf()
    status, ticket = http.call("POST", "/support/uploads", user=OWNER, body={
        "filename": "f.pdf", "content_type": "application/pdf", "size": len(pdf)})
    assert status == 201
    requests.post(ticket["url"], data=ticket["fields"], files={"file": ("f.pdf", pdf)},
                  timeout=10)
    assert http.call("POST", f"/support/uploads/{ticket['id']}/confirm", user=OWNER)[0] == 200
    status, sent = http.call("POST", "/support/requests/reimbursement", user=OWNER, body={
        "beneficiary_id": "B03", "act_code": "G", "care_date": "2026-11-20",
        "amount_cents": 3000, "upload_ids": [ticket["id"]]},
        headers={"Idempotency-Key": str(uuid.uuid4())})
    assert status == 201
    member = http.call("GET", "/members/me", user=OWNER)[1]["member_number"]
    ref = f"{member}_{sent['id']}"
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

    # The winner double-clicks « Accepter »: one reimbursement.
    results.clear()
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=act, args=(winner, "accept", version))
               for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(s for s, _, _ in results) == [200, 409], results
    claims = http.call("GET", "/claims?limit=100", user=OWNER)[1]["items"]
    assert len(claims) == claims_before + 1
    assert http.call("GET", f"/support/requests/{sent['id']}", user=OWNER)[1]["status"] == \
        "processed"
