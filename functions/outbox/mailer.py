"""The mailer: the bus's EmailRequested events (MailRule → MailQueue) sent through SES, each
once. The event's id is the idempotency key (Powertools, DynamoDB persistence on the
IdempotencyTable): a redelivered message, a relay's duplicate or a retry after a failure
finds the send recorded and sends nothing. A failed send (SES down, throttled) fails its
message alone (partial batch response): the queue delivers it again after its visibility
timeout and, past its last attempt, moves it to the mail dead-letter queue.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)

from domain.events import EmailRequested
from outbox import repository
from shared.idempotency import persistence
from shared.observability import count, flush_events, logger

# Longer than a message can live: the queue's retention plus its dead-letter queue's redrive.
KEEP_SECONDS = 15 * 24 * 3600
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
config = IdempotencyConfig(event_key_jmespath="id", raise_on_no_idempotency_key=True,
                           expires_after_seconds=KEEP_SECONDS)
_sender: dict[str, Any] = {}


def _send_once():
    """The idempotent send, made once per container (its persistence layer reads settings)."""
    if "send" not in _sender:
        @idempotent_function(data_keyword_argument="event", persistence_store=persistence(),
                             config=config)
        def send(event: dict[str, Any]) -> dict[str, str]:
            email = EmailRequested.model_validate(event["detail"])
            repository.send(email.to, email.subject, email.body)
            count("EmailSent")
            return {"sent": event["id"]}

        _sender["send"] = send
    return _sender["send"]


def handle(record: SQSRecord) -> None:
    envelope = json.loads(record.body)  # EventBridge's event; its detail is the outbox event
    event = envelope["detail"]
    try:
        _send_once()(event={"id": event["id"], "detail": event["detail"]})
    except IdempotencyAlreadyInProgressError:
        # Another delivery of it is being sent right now: this one fails, and is tried again
        # later, when the first has either sent it (then nothing is sent) or failed.
        logger.info("email already being sent", extra={"event_id": event["id"]})
        raise


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: Any) -> dict:
    config.register_lambda_context(context)
    try:
        return process_partial_response(event=event, record_handler=handle,
                                        processor=processor, context=context)
    finally:
        flush_events()
