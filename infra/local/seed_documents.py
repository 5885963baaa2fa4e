"""Demo documents (« Mes documents »): what the member space shows on the first start, each
made and filed as the function that makes it would — monthly statements, a statement for one
child, the card, an attestation (with its public check code), an advisor's answer as a letter
and the file she sent with a request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel

from claims.logic.statement_render import render_pdf
from claims.logic.statements import make_statement, statement_document
from contract.logic.card import card_document, card_of
from contract.logic.card import render_pdf as render_card
from documents import repository as documents_repository
from documents.logic import attestations, codes
from domain.documents import DocumentItem, document_for, put_operation
from domain.membership import MemberContext, Profile
from domain.reimbursement import ClaimItem
from domain.requests import RequestItem
from shared.dates import PARIS
from support.logic.letters import final_answer

Objects = dict[str, bytes]


_RENDERED: dict[tuple[str, str], bytes] = {}


def _rendered(render: Callable[[Any], bytes], model: BaseModel) -> bytes:
    """The same file for the same facts: a test run seeds every module alike, and a PDF takes
    a quarter of a second to make."""
    key = (f"{render.__module__}.{render.__name__}", model.model_dump_json())
    if key not in _RENDERED:
        _RENDERED[key] = render(model)
    return _RENDERED[key]


def _month_bounds(day: date, back: int) -> tuple[date, date]:
    first = date(day.year, day.month, 1)
    for _ in range(back):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _code(member_id: str, salt: str) -> str:
    digest = hashlib.sha256(f"attestation-{member_id}-{salt}".encode()).digest()
    return "".join(codes.ALPHABET[b % 32] for b in digest[:codes.LENGTH])


def _ops(operations: list[dict]) -> list[dict[str, Any]]:
    return [op["put"] for op in operations]


def _paid(claims: list[ClaimItem], start: date, end: date) -> list[ClaimItem]:
    return [c for c in claims if c.status == "paid" and c.payment_date
            and start <= c.payment_date <= end]


def demo_documents(ctx: MemberContext, items: list[dict[str, Any]], today: date,
                   *, attestation_days_ago: int | None) -> tuple[list[dict[str, Any]], Objects]:
    """Documents of the member of `ctx`, from her already seeded items (claims, card code,
    requests and their uploads)."""
    member_id = ctx.member_id
    filed: list[tuple[DocumentItem, bytes | None]] = []
    extra: list[dict[str, Any]] = []
    claims = [ClaimItem.model_validate(i) for i in items if i.get("type") == "claim"]
    everyone = set(ctx.beneficiaries)

    # The statements of the last three months with payments, as the export files them.
    for back in range(1, 4):
        start, end = _month_bounds(today, back)
        paid = _paid(claims, start, end)
        if not paid:
            continue
        body = _rendered(render_pdf, make_statement(ctx, paid, start, end, everyone, today))
        document, _ = statement_document(member_id, date_from=start, date_to=end, fmt="pdf",
                                         beneficiary_ids=None, size=len(body), today=today)
        filed.append((document, body))
    # Last year's statement of the youngest (for her school's insurance, say).
    if len(ctx.beneficiaries) > 1:
        child = list(ctx.beneficiaries.values())[-1]
        start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        paid = [c for c in _paid(claims, start, end) if c.beneficiary_id == child.id]
        body = _rendered(render_pdf, make_statement(ctx, paid, start, end, {child.id}, today))
        document, _ = statement_document(member_id, date_from=start, date_to=end, fmt="pdf",
                                         beneficiary_ids=[child.id], size=len(body),
                                         today=today)
        filed.append((document, body))

    # This year's card.
    card = next(i for i in items if i.get("sk") == "FILE#CARD")
    out = card_of(ctx, card["token"])
    body = _rendered(render_card, out)
    filed.append((card_document(member_id, out, len(body)), body))

    # An attestation she asked for a few weeks ago (its code is checked publicly).
    if attestation_days_ago is not None:
        issued = datetime.combine(today - timedelta(days=attestation_days_ago), time(9, 30),
                                  PARIS).astimezone(UTC)
        attestation, check, document, body = attestations.prepare(
            ctx, None, _code(member_id, "family"), issued,
            attestation_id=f"A{issued:%Y%m%dT%H%M%S}-5eed0d01")
        filed.append((document, body))
        extra += _ops(documents_repository.attestation_operations(member_id, attestation,
                                                                  check))

    # The files she sent with her requests, and the advisors' final answers as letters.
    for item in items:
        if item.get("type") == "upload" and item.get("status") in ("ready", "attached"):
            sent = datetime.fromisoformat(item["created_at"])
            document = document_for(member_id, kind="upload", title=item["filename"],
                                    content_type=item["content_type"], size=item.get("size"),
                                    source=item["id"], at=sent,
                                    identity=f"upload|{item['id']}")
            filed.append((document.model_copy(update={"s3_key": item["s3_key"]}), None))
        if item.get("type") == "request":
            request = RequestItem.model_validate(item)
            final = request.history[-1] if request.history else None
            if final and final.by_role == "advisor" and final.action in ("accept", "refuse"):
                document, body = final_answer(request, ctx, final.action, final.message or "",
                                              final.by_name,
                                              at=datetime.fromisoformat(final.at))
                filed.append((document, body))

    objects: Objects = {}
    for document, body in filed:
        extra.append(put_operation(member_id, document)["put"])
        if body is not None:
            objects[document.s3_key] = body
    return extra, objects


def context_of(items: list[dict[str, Any]], today: date) -> MemberContext:
    """The member read model of seeded items (as domain.membership reads it)."""
    from domain.membership import Beneficiary, Contract

    profile = next(Profile.model_validate(i) for i in items if i["sk"] == "FILE#PROFILE")
    contracts = tuple(Contract.model_validate(i) for i in items
                      if i["sk"].startswith("FILE#CONTRACT#"))
    beneficiaries = sorted((Beneficiary.model_validate(i) for i in items
                            if i["sk"].startswith("FILE#BENEF#")), key=lambda b: b.rank)
    return MemberContext(profile=profile, contracts=contracts,
                         beneficiaries={b.id: b for b in beneficiaries}, on=today)
