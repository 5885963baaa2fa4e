"""The export worker: the export queue's event source (template.yaml), one message per export.
A message that fails is reported alone (partial batch response) and the queue tries it again;
after its last attempt the queue moves it to the dead-letter queue."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from domain.membership import forget
from members.logic import exports
from members.models import ExportMessage
from shared.observability import flush_events, logger

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
_context: dict[str, Any] = {}


def _time_left_ms() -> int:
    context = _context.get("lambda")
    return context.get_remaining_time_in_millis() if context else 60_000


def handle(record: SQSRecord) -> None:
    forget()
    message = ExportMessage.model_validate_json(record.body)
    exports.prepare(message, attempt=int(record.attributes.approximate_receive_count or 1),
                    time_left_ms=_time_left_ms)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: Any) -> dict:
    _context["lambda"] = context
    try:
        return process_partial_response(event=event, record_handler=handle,
                                        processor=processor, context=context)
    finally:
        flush_events()
