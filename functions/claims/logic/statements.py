"""« Mes relevés de prestations »: months to pick from, and a statement for any period as PDF
or CSV, generated into S3 and handed over as a short presigned GET."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from claims import repository
from claims.logic.statement_render import (
    Statement,
    StatementLine,
    render_csv,
    render_pdf,
    statement_filename,
)
from claims.models import ClaimItem, StatementExportIn, StatementExportOut, StatementMonth
from domain.documents import DocumentItem, document_for, store
from domain.membership import MemberContext, member_context
from shared import clock
from shared.dates import PARIS, fr_date, fr_month
from shared.errors import Unprocessable
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris
from shared.observability import count
from shared.settings import get_settings

HISTORY_MONTHS = 36
MAX_PERIOD_DAYS = 366 * 2
# Payments follow care by weeks at most; look that far back for care paid in the period.
PAYMENT_LAG = timedelta(days=400)
URL_SECONDS = 120
CONTENT_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def paid_between(member_pk: str, date_from: date, date_to: date) -> list[ClaimItem]:
    claims = repository.claims_between(member_pk, date_from - PAYMENT_LAG, date_to)
    return [c for c in claims if c.status == "paid" and c.payment_date
            and date_from <= c.payment_date <= date_to]


def list_months(caller: Caller) -> Page[StatementMonth]:
    today = clock.today()
    start = date(today.year - HISTORY_MONTHS // 12, today.month, 1)
    by_month: dict[tuple[int, int], list[ClaimItem]] = defaultdict(list)
    for c in paid_between(caller.member_pk, start, today):
        by_month[(c.payment_date.year, c.payment_date.month)].append(c)
    items = []
    for (year, month), claims in sorted(by_month.items(), reverse=True):
        first = date(year, month, 1)
        items.append(StatementMonth(
            id=f"{year:04d}-{month:02d}", period_start=first, period_end=_month_end(first),
            label=fr_month(year, month), lines_count=len(claims),
            mutual_cents=sum(c.mutual_cents for c in claims)))
    return Page[StatementMonth](items=items)


def export(caller: Caller, data: StatementExportIn) -> StatementExportOut:
    today = clock.today()
    if data.date_from > data.date_to:
        raise Unprocessable("La date de début doit précéder la date de fin.",
                            code="invalid_period", fields={"from": "après la date de fin"})
    if (data.date_to - data.date_from).days > MAX_PERIOD_DAYS:
        raise Unprocessable("Choisissez une période de deux ans au plus.",
                            code="period_too_long", fields={"to": "période trop longue"})
    if data.date_from > today:
        raise Unprocessable("La période choisie est dans le futur.", code="invalid_period",
                            fields={"from": "date dans le futur"})
    ctx = member_context(caller.member)
    wanted = set(data.beneficiary_ids) or set(ctx.beneficiaries)
    for bid in wanted:
        ctx.beneficiary(bid, field="beneficiary_ids")
    claims = [c for c in paid_between(caller.member_pk, data.date_from, data.date_to)
              if c.beneficiary_id in wanted]
    statement = make_statement(ctx, claims, data.date_from, data.date_to, wanted, today)
    body = render_pdf(statement) if data.format == "pdf" else render_csv(statement)
    filename = statement_filename(statement, data.format)
    # Filed in « Mes documents »: once for a past period (the same statement again refreshes
    # its file), each time for a period still running (its lines may change).
    document, stable = statement_document(
        ctx.member_id, date_from=data.date_from, date_to=data.date_to, fmt=data.format,
        beneficiary_ids=None if wanted == set(ctx.beneficiaries) else sorted(wanted),
        size=len(body), today=today)
    store(ctx.member_id, document, body, stable=stable)
    url = repository.file_link(document.s3_key, URL_SECONDS, filename,
                               CONTENT_TYPES[data.format])
    count("StatementExported")
    expires = clock.now() + timedelta(seconds=URL_SECONDS)
    return StatementExportOut(url=url, filename=filename,
                              expires_at=iso_paris(expires),
                              lines_count=len(claims))


def make_statement(ctx: MemberContext, claims: list[ClaimItem], date_from: date, date_to: date,
                   wanted: set[str], today: date) -> Statement:
    """The statement of the claims paid in the period, for the `wanted` beneficiaries."""
    ordered = [b for b in ctx.beneficiaries.values() if b.id in wanted]
    return Statement(
        brand_name=get_settings().brand_name, brand_address=get_settings().brand_address,
        member_name=ctx.member_name, member_number=ctx.member_id,
        period_start=date_from, period_end=date_to, generated_on=today,
        beneficiary_names=[b.name for b in ordered],
        lines=[StatementLine(
            claim_id=c.id, care_date=c.care_date, beneficiary_id=c.beneficiary_id,
            beneficiary_name=c.beneficiary_name, act_code=c.act_code, act_label=c.act_label,
            practitioner=c.practitioner.name if c.practitioner else None,
            real_cost_cents=c.real_cost_cents, base_cents=c.base_cents,
            social_security_cents=c.social_security_cents,
            deductibles_cents=c.deductibles_cents, mutual_cents=c.mutual_cents,
            out_of_pocket_cents=c.out_of_pocket_cents, payment_date=c.payment_date,
            bank_account_masked=c.bank_account_masked)
            for c in sorted(claims, key=lambda c: (c.care_date, c.beneficiary_id))])


def _of_month(day: date) -> str:
    month = fr_month(day.year, day.month)
    return f"d'{month}" if month[0] in "ao" else f"de {month}"


def statement_document(member_id: str, *, date_from: date, date_to: date, fmt: str,
                       beneficiary_ids: list[str] | None, size: int,
                       today: date) -> tuple[DocumentItem, bool]:
    """The statement as one of her documents, and whether it is stable (a past period: the
    same statement made again is the same document, dated the period's last day)."""
    whole_month = date_from.day == 1 and date_to == _month_end(date_from)
    period = _of_month(date_from) if whole_month else \
        f"du {fr_date(date_from)} au {fr_date(date_to)}"
    title = f"Relevé de prestations {period}{' (tableur CSV)' if fmt == 'csv' else ''}"
    stable = date_to < today
    who = ",".join(beneficiary_ids) if beneficiary_ids else "all"
    document = document_for(
        member_id, kind="statement", title=title, content_type=CONTENT_TYPES[fmt], size=size,
        beneficiary_id=beneficiary_ids[0] if beneficiary_ids and len(beneficiary_ids) == 1
        else None, source=f"{date_from.isoformat()}/{date_to.isoformat()}",
        at=datetime.combine(date_to, time(23, 59, 59), PARIS) if stable else None,
        identity=f"statement|{date_from}|{date_to}|{who}|{fmt}" if stable else None)
    return document, stable
