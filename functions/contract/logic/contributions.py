"""« Vérifier ma situation »: the contribution schedule of the year, paid and due, late
instalments first."""

from __future__ import annotations

from datetime import date

from contract import repository
from contract.models import ContributionsOut, Instalment
from shared.dates import fr_month
from shared.identity import Caller

LABELS = {"paid": "Payée", "due": "À venir", "late": "En retard"}


def instalment(item: dict, today: date) -> Instalment:
    due = date.fromisoformat(item["due_date"])
    paid_on = date.fromisoformat(item["paid_on"]) if item.get("paid_on") else None
    status = "paid" if paid_on else ("late" if due < today else "due")
    year, month = (int(part) for part in item["period"].split("-"))
    return Instalment(id=item["period"], label=fr_month(year, month), due_date=due,
                      amount_cents=int(item["amount_cents"]), status=status,
                      status_label=LABELS[status], paid_on=paid_on)


def instalments(member_id: str, today: date) -> list[Instalment]:
    """Last year's and this year's instalments (a late one may date from last year)."""
    items = repository.contributions(member_id, today.year - 1, today.year)
    return [instalment(i, today) for i in items]


def get_contributions(caller: Caller, today: date) -> ContributionsOut:
    rows = instalments(caller.member, today)
    shown = [r for r in rows if r.due_date.year == today.year or r.status == "late"]
    this_year = [r for r in rows if r.due_date.year == today.year]
    order = {"late": 0, "due": 1, "paid": 2}
    return ContributionsOut(
        year_total_cents=sum(r.amount_cents for r in this_year),
        paid_cents=sum(r.amount_cents for r in this_year if r.status == "paid"),
        due_cents=sum(r.amount_cents for r in shown if r.status == "due"),
        late_cents=sum(r.amount_cents for r in shown if r.status == "late"),
        instalments=sorted(shown, key=lambda r: (order[r.status], r.due_date)))
