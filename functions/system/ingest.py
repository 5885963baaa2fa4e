"""The inbox's ingest: the InboxQueue's event source. A message is an S3 event (a file put in
the inbox) or the continuation of a long file; one that fails is reported alone (partial batch
response) and comes back, then goes to the dead-letter queue after its last attempt. Applying
is idempotent, so a message handled twice changes nothing the second time."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from domain.membership import forget
from shared.batch import QueueWorker
from system.logic.ingest import ingest_object


def _time_left_ms() -> int:
    return worker.time_left_ms()


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


worker = QueueWorker(handle, default_ms=600_000)
lambda_handler = worker.lambda_handler
