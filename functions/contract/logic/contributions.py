"""« Vérifier ma situation »: the contribution schedule of the year, paid and due, late
instalments first (last year's too), and in December the first ones of next year."""

from __future__ import annotations

from datetime import date

from contract import repository
from contract.models import ContributionsOut, Instalment
from shared.dates import add_months, fr_month
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
    """Last year's, this year's and next year's instalments: a late one may date from last year,
    and next year's schedule arrives with the renewal notice, in December."""
    items = repository.contributions(member_id, today.year - 1, today.year + 1)
    return [instalment(i, today) for i in items]


def upcoming(row: Instalment, today: date) -> bool:
    """Next year's instalments due by the end of next month: in December, January's."""
    horizon = add_months(today.replace(day=1), 2)
    return row.due_date.year > today.year and row.due_date < horizon


def paid_this_year(row: Instalment, today: date) -> bool:
    """Last year's instalment paid late, this year: she still sees that it is settled."""
    return row.paid_on is not None and row.paid_on.year == today.year \
        and row.due_date.year < today.year


def get_contributions(caller: Caller, today: date) -> ContributionsOut:
    rows = instalments(caller.member, today)
    shown = [r for r in rows if r.due_date.year == today.year or r.status == "late"
             or upcoming(r, today) or paid_this_year(r, today)]
    this_year = [r for r in rows if r.due_date.year == today.year]
    order = {"late": 0, "due": 1, "paid": 2}
    return ContributionsOut(
        year=today.year,
        year_total_cents=sum(r.amount_cents for r in this_year),
        paid_cents=sum(r.amount_cents for r in this_year if r.status == "paid"),
        due_cents=sum(r.amount_cents for r in shown if r.status == "due"),
        late_cents=sum(r.amount_cents for r in shown if r.status == "late"),
        instalments=sorted(shown, key=lambda r: (order[r.status], r.due_date)))
