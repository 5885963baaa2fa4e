"""The inbox's ingest: the InboxQueue's event source. A message is an S3 event (a file put in
the inbox) or the continuation of a long file; one that fails is reported alone (partial batch
response) and comes back, then goes to the dead-letter queue after its last attempt. Applying
is idempotent, so a message handled twice changes nothing the second time."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from domain.membership import forget
from shared.observability import flush_events, logger
from system.logic.ingest import ingest_object

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
_context: dict[str, Any] = {}


def _time_left_ms() -> int:
    context = _context.get("lambda")
    return context.get_remaining_time_in_millis() if context else 600_000


def handle(record: SQSRecord) -> None:
    forget()
    body = json.loads(record.body)
    if "continue" in body:
        c = body["continue"]
        ingest_object(c["bucket"], c["key"], version_id=c.get("version_id"),
                      etag=c.get("etag"), offset=int(c.get("offset") or 0),
                      time_left_ms=_time_left_ms)
        return
    for event in body.get("Records") or []:  # an s3:TestEvent has none
        if not str(event.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = event["s3"]
        key = unquote_plus(s3["object"]["key"])
        if not key.startswith("inbox/"):
            continue
        ingest_object(s3["bucket"]["name"], key, version_id=s3["object"].get("versionId"),
                      etag=s3["object"].get("eTag"), time_left_ms=_time_left_ms)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: Any) -> dict:
    _context["lambda"] = context
    try:
        return process_partial_response(event=event, record_handler=handle,
                                        processor=processor, context=context)
    finally:
        flush_events()
