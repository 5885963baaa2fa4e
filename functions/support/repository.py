"""Storage of requests, their audit trail and the emails about them. Only this module (and
shared.repository beneath it) touches AWS for the support function."""

from __future__ import annotations

from boto3.dynamodb.conditions import Attr

from shared.audit import entry
from shared.ids import created_of
from shared.membership import remember
from shared.repository import get_item, query_all, query_page, send_email, transact
from shared.requests import RequestItem, queue_key, sort_key, to_item

QUEUE_INDEX = "AdvisorQueue"


def create(request: RequestItem, extra: list[dict]) -> None:
    """A new request with its attachments' and its idempotency marker's operations."""
    transact([{"put": to_item(request)}, *extra])


def get(member_id: str, request_id: str) -> RequestItem | None:
    created = created_of(request_id, "R")
    if not created:
        return None
    item = get_item(f"MEMBER#{member_id}", f"REQ#{created}#{request_id}")
    return RequestItem.model_validate(item) if item else None


def member_with_requests(member_id: str) -> list[RequestItem]:
    """The member's requests, newest first, reading her file in the same Query (FILE# and
    REQ# items are neighbours in her partition): an advisor's page costs one read."""
    items = query_all(partition=("pk", f"MEMBER#{member_id}"), sort_between=("FILE#", "REQ#~"))
    remember(member_id, items)
    requests = [RequestItem.model_validate(i) for i in items if i["sk"].startswith("REQ#")]
    return sorted(requests, key=lambda r: r.id, reverse=True)


def replace(request: RequestItem, *, expected: RequestItem, extra: list[dict]) -> None:
    """The request's new state, only if nobody changed it since it was read (409 otherwise),
    with what the change does (a reimbursement, an audit entry) in the same transaction."""
    transact([{"replace": to_item(request),
               "expect": {"version": expected.version, "status": expected.status}}, *extra])


def list_for_member(member_id: str, *, kind: str | None, status: str | None, query: str | None,
                    cursor: str | None, limit: int) -> tuple[list[RequestItem], str | None]:
    where = None
    for condition in ([Attr("kind").eq(kind)] if kind else []) + \
            ([Attr("status").eq(status)] if status else []) + \
            ([Attr("reference").contains(query.upper())] if query else []):
        where = condition if where is None else where & condition
    items, nxt = query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="REQ#",
                            cursor=cursor, limit=limit, where=where)
    return [RequestItem.model_validate(i) for i in items], nxt


def queue(team: str, status: str, *, kind: str | None, created_before: str | None,
          cursor: str | None, limit: int) -> tuple[list[RequestItem], str | None]:
    """The advisors' queue: oldest first."""
    where = Attr("kind").eq(kind) if kind else None
    between = ("0", f"{created_before}~") if created_before else None
    items, nxt = query_page(partition=("gsi2pk", queue_key(team, status)),
                            sort_key_name="gsi2sk", index=QUEUE_INDEX, sort_between=between,
                            cursor=cursor, limit=limit, newest_first=False, where=where)
    return [RequestItem.model_validate(i) for i in items], nxt


def audit(member_id: str, *, who: str, role: str, action: str, target: str,
          detail: str = "") -> dict:
    """A transaction operation: one entry of the member's audit trail (append only)."""
    return entry(member_id, who=who, role=role, action=action, target=target, detail=detail)


def record(operations: list[dict]) -> None:
    transact(operations)


def email(to: str, subject: str, text: str) -> None:
    send_email(to, subject, text)


__all__ = ["audit", "create", "email", "get", "list_for_member", "queue", "record", "replace",
           "sort_key"]
