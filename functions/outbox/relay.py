"""The outbox relay: the table's stream (template.yaml: only new items of type "outbox", by
the event source mapping's filter) → the EventBridge bus. Each outbox item's `event` becomes
one bus entry: Source espace-adherent.portal, DetailType its detail type, Detail the event.

Order holds per member: a stream shard carries a partition's items in the order they were
written, and when the bus refuses an entry, that record and every later one of the batch are
reported failed (`batchItemFailures` from the first refused one): Lambda retries from there,
split in halves (BisectBatchOnFunctionError), and after its last attempt sends the records'
description to the on-failure queue (the relay's dead-letter queue). An entry taken before
a refused one may be put again on the retry: events carry their id, consumers keep the first
(the mailer does: it sends an email once per event id).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBStreamEvent,
)

from outbox import repository
from shared.errors import ServiceUnavailable
from shared.observability import count, flush_events, logger


def _event(record) -> dict[str, Any] | None:
    image = record.dynamodb.new_image if record.dynamodb else None
    if record.event_name is None or record.event_name.name != "INSERT" or not image or \
            image.get("type") != "outbox":
        return None  # the mapping's filter keeps only these; anything else is not ours
    return _plain(image["event"])


def _plain(value: Any) -> Any:
    """The stream's numbers are Decimals: ours are integers (cents, versions)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def relay(event: dict[str, Any]) -> dict[str, Any]:
    records = list(DynamoDBStreamEvent(event).records)
    pending = [(r.dynamodb.sequence_number, e) for r in records
               if (e := _event(r)) is not None]
    if not pending:
        return {"batchItemFailures": []}
    try:
        taken = repository.put_events([e for _, e in pending])
    except ServiceUnavailable:
        logger.exception("the bus refused a batch", extra={"records": len(pending)})
        taken = [False] * len(pending)
    first_refused = next((i for i, ok in enumerate(taken) if not ok), None)
    count("OutboxEventRelayed", len(pending) if first_refused is None else first_refused)
    if first_refused is None:
        return {"batchItemFailures": []}
    count("OutboxRelayFailed")
    sequence, refused = pending[first_refused]
    logger.warning("event not relayed, retried from it",
                   extra={"event_id": refused.get("id"), "sequence": sequence})
    return {"batchItemFailures": [{"itemIdentifier": sequence}]}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: Any) -> dict:
    try:
        return relay(event)
    finally:
        flush_events()
