"""Storage of the support function: requests and their audit trail, the advisors' workspace,
conversations, the wait and call-backs, uploads. Only this module (and the kernel's table
access base beneath it) touches AWS for the support function."""

from __future__ import annotations

from datetime import UTC, datetime

from boto3.dynamodb.conditions import Attr, Key

from domain.audit import entry
from domain.membership import remember
from domain.requests import RequestItem, queue_key, sort_key, to_item
from shared import repository as kernel
from shared.repository import (
    admin_sign_out,
    aws_call,
    batch_get,
    get_item,
    new_items,
    plain,
    presigned_get,
    put_item,
    query_all,
    query_page,
    table,
    transact,
    transact_items,
)
from shared.settings import get_settings
from support.models import (
    AnswerItem,
    CallbackItem,
    DutyItem,
    MessageItem,
    SlotItem,
    ThreadItem,
)

QUEUE_INDEX = "AdvisorQueue"


def member_with_requests(member_id: str) -> list[RequestItem]:
    """The member's requests, newest first, reading her file in the same Query (FILE# and
    REQ# items are neighbours in her partition): an advisor's page costs one read."""
    items = query_all(partition=("pk", f"MEMBER#{member_id}"), sort_between=("FILE#", "REQ#~"))
    remember(member_id, items)
    requests = [RequestItem.model_validate(i) for i in items if i["sk"].startswith("REQ#")]
    return sorted(requests, key=lambda r: r.id, reverse=True)


def member_file_view(member_id: str) -> tuple[list[RequestItem], list[dict]]:
    """Her file, her requests (newest first) and her conversations' headers, in one Query
    (FILE#, REQ# and THREAD# items follow one another in her partition): what an advisor
    opening her file sees."""
    items = query_all(partition=("pk", f"MEMBER#{member_id}"),
                      sort_between=("FILE#", "THREAD#~"))
    remember(member_id, items)
    requests = [RequestItem.model_validate(i) for i in items if i["sk"].startswith("REQ#")]
    threads = [i for i in items if i["sk"].startswith("THREAD#") and i.get("type") == "thread"]
    return sorted(requests, key=lambda r: r.id, reverse=True), threads


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


# ----------------------------------------------------------------------------- uploads
# A ticket's form upload, the check of what arrived, its copy to the final key: the kernel's
# bucket access, named here so that the upload logic stores through this module alone.
def presigned_post(key: str, content_type: str, size: int, seconds: int) -> dict:
    return kernel.presigned_post(key, content_type, size, seconds)


def put_new(item: dict) -> None:
    kernel.put_new(item)


def read_version(key: str, max_bytes: int) -> kernel.StoredObject | None:
    return kernel.read_version(key, max_bytes)


def copy_object(source: str, target: str, *, exactly: kernel.StoredObject | None = None) -> None:
    kernel.copy_object(source, target, exactly=exactly)


def delete_object(key: str) -> None:
    kernel.delete_object(key)


__all__ = ["audit", "list_for_member", "queue", "record", "replace",
           "sort_key"]


# ============================================================================= contact & aide
# Conversations live in the member's partition: THREAD#<id>, then its messages
# THREAD#<id>#MSG#<message id> (one strongly consistent Query reads a conversation). The
# member's list is on GSI ByBeneficiary (MEMBER#<id>#THREADS / <last activity>#<id>), the
# advisors' boxes on GSI AdvisorQueue (THREADQ#<team>#WAITING, THREADQ#<team>#BY#<sub>). The
# team's live figures (opening hours, who is on duty, the last first answers) share one
# partition, SUPPORT#<team>, read newest first in one Query; call-back slots are CALLBACK#<team>.
MEMBER_THREADS_INDEX = "ByBeneficiary"
TEAM_ITEMS = 300  # HOURS + one DUTY# per advisor + the last ANSWER#s, newest first
NEXT_CALLBACK = "CALLBACKNEXT"


def thread_sk(thread_id: str) -> str:
    return f"THREAD#{thread_id}"


def message_sk(thread_id: str, message_id: str) -> str:
    return f"THREAD#{thread_id}#MSG#{message_id}"


def waiting_key(team: str) -> str:
    return f"THREADQ#{team}#WAITING"


def handled_key(team: str, advisor_sub: str) -> str:
    return f"THREADQ#{team}#BY#{advisor_sub}"


def _compact(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y%m%dT%H%M%S")


def thread_to_item(thread: ThreadItem) -> dict:
    item = thread.model_dump(mode="json")
    queue_pk = (waiting_key(thread.team) if thread.status == "waiting" or not thread.assigned_to
                else handled_key(thread.team, thread.assigned_to))
    item.update(pk=f"MEMBER#{thread.member_id}", sk=thread_sk(thread.id), type="thread",
                gsi1pk=f"MEMBER#{thread.member_id}#THREADS",
                gsi1sk=f"{_compact(thread.last_message_at)}#{thread.id}",
                gsi2pk=queue_pk,
                gsi2sk=f"{_compact(thread.created_at)}#{thread.member_id}#{thread.id}")
    return item


def message_to_item(member_id: str, message: MessageItem) -> dict:
    return {**message.model_dump(mode="json"), "pk": f"MEMBER#{member_id}",
            "sk": message_sk(message.thread_id, message.id), "type": "thread_message"}


def read_items(member_id: str, sort_keys: list[str]) -> dict[str, dict]:
    """Several items of one member's partition in one call (BatchGetItem, consistent), by
    sort key: a conversation's header and the uploads a message attaches, say."""
    pk = f"MEMBER#{member_id}"
    return {item["sk"]: item for item in batch_get([(pk, sk) for sk in sort_keys],
                                                  consistent=True)}


def create_thread(thread: ThreadItem, message: MessageItem, extra: list[dict]) -> None:
    transact([{"put": thread_to_item(thread)},
              {"put": message_to_item(thread.member_id, message)}, *extra])


def conversation(member_id: str, thread_id: str) -> tuple[ThreadItem | None, list[MessageItem]]:
    """A conversation and its messages, oldest first, in one strongly consistent Query."""
    kwargs = {"KeyConditionExpression": Key("pk").eq(f"MEMBER#{member_id}")
              & Key("sk").begins_with(thread_sk(thread_id)), "ConsistentRead": True}
    items: list[dict] = []
    with aws_call():
        while True:
            response = table().query(**kwargs)
            items += plain(response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    header = next((i for i in items if i["sk"] == thread_sk(thread_id)), None)
    if header is None:
        return None, []
    messages = sorted((MessageItem.model_validate(i) for i in items
                       if i.get("type") == "thread_message"), key=lambda m: (m.seq, m.at, m.id))
    return ThreadItem.model_validate(header), messages


def thread_header(item: dict | None) -> ThreadItem | None:
    return ThreadItem.model_validate(item) if item and item.get("type") == "thread" else None


def add_message(thread: ThreadItem, *, expected_version: int, message: MessageItem,
                extra: list[dict]) -> None:
    """A message and the conversation's new state, only if nobody wrote since it was read."""
    transact([{"put": message_to_item(thread.member_id, message)},
              {"replace": thread_to_item(thread), "expect": {"version": expected_version}},
              *extra])


def mark_seen(member_id: str, thread_id: str, field: str, version: int,
              extra: list[dict] | None = None) -> None:
    transact([{"update": {"key": {"pk": f"MEMBER#{member_id}", "sk": thread_sk(thread_id)},
                          "set": {field: version}, "condition": ("type", "thread")}},
              *(extra or [])])


def opened_by_advisor(member_id: str, thread_id: str, version: int, opened_at: str | None,
                      audit_entry: dict) -> None:
    """An advisor opened the conversation: seen up to `version`, handling starts (the first
    time), and the opening goes to the member's audit trail, together."""
    values: dict = {"advisor_seen_version": version}
    if opened_at:
        values["opened_at"] = opened_at
    transact([{"update": {"key": {"pk": f"MEMBER#{member_id}", "sk": thread_sk(thread_id)},
                          "set": values, "condition": ("type", "thread")}}, audit_entry])


def member_threads(member_id: str, *, cursor: str | None,
                   limit: int) -> tuple[list[ThreadItem], str | None]:
    """Her conversations, latest activity first."""
    items, nxt = query_page(partition=("gsi1pk", f"MEMBER#{member_id}#THREADS"),
                            sort_key_name="gsi1sk", index=MEMBER_THREADS_INDEX, cursor=cursor,
                            limit=limit, newest_first=True)
    return [ThreadItem.model_validate(i) for i in items], nxt


def advisor_threads(partition: str, *, oldest_first: bool, cursor: str | None,
                    limit: int) -> tuple[list[ThreadItem], str | None]:
    items, nxt = query_page(partition=("gsi2pk", partition), sort_key_name="gsi2sk",
                            index=QUEUE_INDEX, cursor=cursor, limit=limit,
                            newest_first=not oldest_first)
    return [ThreadItem.model_validate(i) for i in items], nxt


def waiting_since(team: str) -> list[str]:
    """When each conversation waiting for a first answer was written (compact UTC times)."""
    kwargs = {"IndexName": QUEUE_INDEX, "KeyConditionExpression": Key("gsi2pk").eq(
        waiting_key(team)), "ProjectionExpression": "gsi2sk"}
    stamps: list[str] = []
    with aws_call():
        while True:
            response = table().query(**kwargs)
            stamps += [i["gsi2sk"].split("#", 1)[0] for i in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                return stamps
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def team_state(team: str) -> tuple[dict | None, list[DutyItem], list[AnswerItem]]:
    """The team's opening hours (if set in the table), who is on or off duty and the last
    first answers, newest first: one Query (HOURS > DUTY# > ANSWER# in sort order)."""
    with aws_call():
        response = table().query(KeyConditionExpression=Key("pk").eq(f"SUPPORT#{team}"),
                                 ScanIndexForward=False, Limit=TEAM_ITEMS)
    items = plain(response.get("Items", []))
    hours = next((i for i in items if i["sk"] == "HOURS"), None)
    duty = [DutyItem.model_validate(i) for i in items if i["sk"].startswith("DUTY#")]
    answers = [AnswerItem.model_validate(i) for i in items if i["sk"].startswith("ANSWER#")]
    return hours, duty, answers


def set_duty(team: str, duty: DutyItem) -> None:
    put_item({**duty.model_dump(mode="json"), "pk": f"SUPPORT#{team}", "sk": f"DUTY#{duty.sub}",
              "type": "duty"})


def answer_record(team: str, answer: AnswerItem, ttl: int) -> dict:
    """A transaction operation: one first answer, kept a month for the handling time."""
    return {"put": {**answer.model_dump(mode="json"), "pk": f"SUPPORT#{team}",
                    "sk": f"ANSWER#{_compact(answer.at)}#{answer.thread_id}", "type": "answer",
                    "ttl": ttl}}


def attachment_url(s3_key: str, filename: str, content_type: str, seconds: int) -> str:
    return presigned_get(s3_key, seconds, filename=filename, content_type=content_type)


# ----------------------------------------------------------------------------- call-backs
def slot_sk(slot_id: str) -> str:
    return f"SLOT#{slot_id}"


def _slot_item(slot: SlotItem) -> dict:
    return {**slot.model_dump(mode="json"), "pk": f"CALLBACK#{slot.team}",
            "sk": slot_sk(slot.id), "type": "slot"}


def slots_between(team: str, first_id: str, last_id: str) -> list[SlotItem]:
    """Slots whose ids (which start with their start time) lie in [first_id, last_id]."""
    items = query_all(partition=("pk", f"CALLBACK#{team}"),
                      sort_between=(slot_sk(first_id), slot_sk(last_id)))
    return [SlotItem.model_validate(i) for i in items]


def slot(team: str, slot_id: str) -> SlotItem | None:
    item = get_item(f"CALLBACK#{team}", slot_sk(slot_id))
    return SlotItem.model_validate(item) if item else None


def open_slots(slots: list[SlotItem]) -> None:
    """New slots, all or none (one that exists already: 409)."""
    transact([{"put": _slot_item(s)} for s in slots])


class SlotTaken(Exception):
    """Someone booked this slot first."""


class CallbackPending(Exception):
    """The member already has a call-back to come."""


def book(slot: SlotItem, booking: CallbackItem, member_id: str, member_name: str, *,
         now_epoch: int, starts_epoch: int, extra: list[dict]) -> None:
    """Book a slot: the slot goes from open to booked (conditional write: never twice), the
    booking is written in her partition, and her « next call-back » marker is taken (one at a
    time), in one transaction with `extra` (idempotency marker, audit)."""
    name = get_settings().table_name
    ops = [
        {"Update": {"TableName": name,
                    "Key": {"pk": f"CALLBACK#{slot.team}", "sk": slot_sk(slot.id)},
                    "UpdateExpression": "SET #s = :booked, member_id = :m, member_name = :n, "
                                        "phone = :p, topic = :t, booked_by = :b",
                    "ConditionExpression": "attribute_exists(pk) AND #s = :open",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":booked": "booked", ":open": "open",
                                                  ":m": member_id, ":n": member_name,
                                                  ":p": booking.phone, ":t": booking.topic,
                                                  ":b": booking.by}}},
        {"Put": {"TableName": name, "Item": {
            **booking.model_dump(mode="json"), "pk": f"MEMBER#{member_id}",
            "sk": f"CALLBACK#{booking.id}", "type": "callback"},
            "ConditionExpression": "attribute_not_exists(pk) OR #s = :cancelled",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":cancelled": "cancelled"}}},
        {"Put": {"TableName": name, "Item": {
            "pk": f"MEMBER#{member_id}", "sk": NEXT_CALLBACK, "type": "callback_next",
            "slot_id": slot.id, "starts_epoch": starts_epoch, "ttl": starts_epoch + 86400},
            "ConditionExpression": "attribute_not_exists(pk) OR starts_epoch < :now",
            "ExpressionAttributeValues": {":now": now_epoch}}},
        *new_items(extra),
    ]
    transact_items(ops, {0: SlotTaken, 2: CallbackPending})


def cancel(team: str, slot_id: str, member_id: str, audit_entry: dict) -> None:
    """Give the slot back, mark the booking cancelled and free her marker, together; only
    while the slot is hers and the booking stands (a double click: 409)."""
    name = get_settings().table_name
    ops = [
        {"Update": {"TableName": name,
                    "Key": {"pk": f"CALLBACK#{team}", "sk": slot_sk(slot_id)},
                    "UpdateExpression": "SET #s = :open REMOVE member_id, member_name, phone, "
                                        "topic, booked_by",
                    "ConditionExpression": "#s = :booked AND member_id = :m",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":open": "open", ":booked": "booked",
                                                  ":m": member_id}}},
        {"Update": {"TableName": name,
                    "Key": {"pk": f"MEMBER#{member_id}", "sk": f"CALLBACK#{slot_id}"},
                    "UpdateExpression": "SET #s = :cancelled",
                    "ConditionExpression": "#s = :booked",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":cancelled": "cancelled",
                                                  ":booked": "booked"}}},
        {"Delete": {"TableName": name, "Key": {"pk": f"MEMBER#{member_id}", "sk": NEXT_CALLBACK},
                    "ConditionExpression": "attribute_not_exists(pk) OR slot_id = :id",
                    "ExpressionAttributeValues": {":id": slot_id}}},
        *new_items([audit_entry]),
    ]
    transact_items(ops)


def callback(member_id: str, slot_id: str) -> CallbackItem | None:
    item = get_item(f"MEMBER#{member_id}", f"CALLBACK#{slot_id}")
    return CallbackItem.model_validate(item) if item else None


def callbacks(member_id: str, *, cursor: str | None,
              limit: int) -> tuple[list[CallbackItem], str | None]:
    items, nxt = query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="CALLBACK#",
                            cursor=cursor, limit=limit, newest_first=True)
    return [CallbackItem.model_validate(i) for i in items], nxt


def sign_out_advisor(sub: str) -> None:
    """Revoke every refresh token of an advisor (on the advisors' pool)."""
    admin_sign_out(get_settings().advisors_user_pool_id, sub)
