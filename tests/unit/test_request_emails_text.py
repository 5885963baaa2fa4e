"""What the request emails say about a reimbursement: accepted and sent for payment (never
« paid » before it is), then paid once the management system's payment closes it."""

import os

from domain.notifications import text
from domain.requests import Event, RequestItem
from tests.helpers import plain


def request(status, *actions):
    os.environ.setdefault("TABLE_NAME", "Table-unit")
    return RequestItem(
        id="R20261207T091402-3fa85f64", reference="DR-2026-3FA85F64", kind="reimbursement",
        member_id="2024001871", created_at="2026-12-07T10:14:02+01:00",
        updated_at="2026-12-07T10:14:02+01:00", status=status, team="gestion",
        subject="Consultation", history=[
            Event(at="2026-12-07T10:14:02+01:00", by_role="advisor", by_name="Camille",
                  action=a, status=status) for a in actions])


def test_sent_for_payment_says_accepted_and_sent_never_paid():
    subject, body = map(plain, text(request("payment_requested", "accept")))
    assert "acceptée et transmise pour paiement" in subject
    assert "transmise pour paiement" in body and "en cours de traitement" in body
    assert "a été versé" not in body and "€" not in body


def test_paid_by_the_management_system_says_paid():
    subject, body = map(plain, text(request("processed", "accept", "pay")))
    assert "le remboursement a été versé" in subject
    assert "a été versé par votre mutuelle" in body and "« Mes remboursements »" in body
    assert "€" not in body
