"""The SQS event sources of the template's functions, run locally as Lambda runs them: a poller
per source receives from the queue (moto), hands each batch to the function's worker pool as
an SQS event, then deletes the messages that did not fail (`batchItemFailures`, the partial
batch response). A failed message becomes visible again after the queue's visibility timeout
and, past its `maxReceiveCount`, moves to the dead-letter queue: moto's SQS does both.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.local import template

log = logging.getLogger("infra.local.queues")


@dataclass(frozen=True)
class EventSource:
    function: str
    queue: str  # the queue's logical id
    batch_size: int


def event_sources() -> list[EventSource]:
    found = []
    for name, props in template.resources("AWS::Serverless::Function").items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "SQS":
                continue
            queue = event["Properties"]["Queue"]["Fn::GetAtt"][0]
            found.append(EventSource(name, queue, int(event["Properties"].get("BatchSize", 10))))
    return found


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda hands a function for a batch received from a queue."""
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": m.get("MessageAttributes", {}),
        "md5OfBody": m.get("MD5OfBody") or hashlib.md5(
            m["Body"].encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region,
    } for m in messages]}


def deliver(sqs: Any, url: str, source: EventSource, region: str,
            invoke: Callable[[dict[str, Any]], Any], wait_seconds: int = 0) -> int:
    """Receive one batch and hand it to the function; returns how many messages came."""
    received = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=min(source.batch_size, 10),
        WaitTimeSeconds=wait_seconds, AttributeNames=["All"],
        MessageAttributeNames=["All"]).get("Messages", [])
    if not received:
        return 0
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    try:
        result = invoke(sqs_event(received, arn, region))
    except Exception:  # the invocation failed: the whole batch comes back later
        log.exception("%s failed on a batch from %s", source.function, source.queue)
        return len(received)
    if not isinstance(result, dict) or "batchItemFailures" not in result:
        return len(received)  # a timeout or an error answer: the whole batch comes back
    failed = {f.get("itemIdentifier") for f in result["batchItemFailures"]}
    done = [m for m in received if m["MessageId"] not in failed]
    if done:
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
    return len(received)


class QueuePollers:
    """One thread per event source, long-polling its queue until stopped."""

    def __init__(self, sqs: Any, urls: dict[str, str], region: str,
                 invokers: dict[str, Callable[[dict[str, Any]], Any]]) -> None:
        self.sqs, self.urls, self.region, self.invokers = sqs, urls, region, invokers
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> QueuePollers:
        for source in event_sources():
            thread = threading.Thread(target=self._poll, args=(source,), daemon=True,
                                      name=f"poll-{source.queue}")
            thread.start()
            self._threads.append(thread)
        return self

    def _poll(self, source: EventSource) -> None:
        url, invoke = self.urls[source.queue], self.invokers[source.function]
        while not self._stop.is_set():
            try:
                deliver(self.sqs, url, source, self.region, invoke, wait_seconds=1)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("polling %s failed", source.queue)
                self._stop.wait(1)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
