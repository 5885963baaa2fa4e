"""Overpayments (trop-perçus): an amount the mutuelle paid too much on a reimbursement, which
the management system asks back (an inbound FHIR Invoice of type overpayment,
docs/integration.md). Shared by the claims function (she reads it, asks for instalments or
contests it) and the contract function (she pays it back by card).

One item per overpayment, `MEMBER#<id>` / `OVERPAY#<id>`. The management system owns its
figures (`gestion_status`, amount, reason, dates); the portal owns what she did (a card
payment's hold and `paid_on`, the requests she filed). Her status is derived from both, on
read, so an inbound update never erases what she did and the reverse.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

PREFIX = "OVERPAY#"
ID = re.compile(r"^[A-Za-z0-9-]{1,40}$")
Status = Literal["due", "paying", "paid", "instalments_requested", "contested", "cancelled"]
GestionStatus = Literal["issued", "balanced", "cancelled"]
STATUS_LABELS: dict[str, str] = {
    "due": "À rembourser", "paying": "Paiement en cours", "paid": "Remboursé",
    "instalments_requested": "Échéancier demandé", "contested": "Contesté",
    "cancelled": "Annulé"}
# What still counts as owed (the block on « Mes remboursements »).
OWED: tuple[str, ...] = ("due", "paying", "instalments_requested", "contested")
MIN_MONTHS, MAX_MONTHS = 2, 12


def sk(overpayment_id: str) -> str:
    return f"{PREFIX}{overpayment_id}"


def key(member_id: str, overpayment_id: str) -> dict[str, str]:
    return {"pk": f"MEMBER#{member_id}", "sk": sk(overpayment_id)}


class OverpaymentItem(BaseModel):
    """As stored. Figures from the management system; the rest written by the portal."""

    model_config = ConfigDict(extra="ignore")
    id: str
    reference: str
    claim_id: str | None = None
    care_date: date | None = None
    beneficiary_id: str
    act_code: str | None = None
    act_label: str | None = None
    amount_cents: int
    reason: str
    issued_on: date | None = None
    due_date: date
    gestion_status: GestionStatus
    balanced_on: date | None = None
    # the portal's own
    pending_payment: str | None = None
    pending_until: int | None = None
    paid_on: date | None = None
    payment_id: str | None = None
    instalments_request: str | None = None
    instalments_months: int | None = None
    contest_request: str | None = None


def status(item: OverpaymentItem, now_epoch: int) -> Status:
    if item.gestion_status == "cancelled":
        return "cancelled"
    if item.paid_on or item.gestion_status == "balanced":
        return "paid"
    if item.contest_request:
        return "contested"
    if item.pending_payment and (item.pending_until or 0) >= now_epoch:
        return "paying"
    if item.instalments_request:
        return "instalments_requested"
    return "due"


def remaining_cents(item: OverpaymentItem, now_epoch: int) -> int:
    return 0 if status(item, now_epoch) in ("paid", "cancelled") else item.amount_cents


def payable(item: OverpaymentItem, now_epoch: int) -> tuple[bool, str | None, str | None]:
    """Whether she may pay it by card now; else (False, code, French reason)."""
    current = status(item, now_epoch)
    if current == "paid":
        when = item.paid_on or item.balanced_on
        said = f" le {when:%d/%m/%Y}" if when else ""
        return False, "already_paid", (f"Ce trop-perçu est déjà remboursé{said} : il n'y a "
                                       "plus rien à payer.")
    if current == "cancelled":
        return False, "cancelled", ("La mutuelle a annulé ce trop-perçu : vous n'avez rien à "
                                    "rembourser.")
    if current == "contested":
        return False, "contested", ("Vous avez contesté ce trop-perçu : un conseiller l'examine. "
                                    "Vous ne pouvez pas le payer tant qu'il n'a pas répondu.")
    return True, None, None


def of(items: list[dict]) -> list[OverpaymentItem]:
    return [OverpaymentItem.model_validate(i) for i in items if i.get("sk", "").startswith(PREFIX)
            and i.get("type") == "overpayment"]
