"""A queue's worker as Lambda runs it: the SQS event source hands a batch, each record is
handled alone, and those that fail are reported (partial batch response) so that only they
come back, then go to the queue's dead-letter queue after their last attempt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from shared.observability import flush_events, logger


class QueueWorker:
    """`handle(record)` for each record; `time_left_ms()` says how long the invocation has left
    (`default_ms` outside Lambda), for work that continues in a new message."""

    def __init__(self, handle: Callable[[SQSRecord], None], *, default_ms: int) -> None:
        self.handle, self.default_ms = handle, default_ms
        self.processor = BatchProcessor(event_type=EventType.SQS,
                                        raise_on_entire_batch_failure=False)
        self.context: Any = None
        self.lambda_handler = logger.inject_lambda_context(clear_state=True)(self._run)

    def time_left_ms(self) -> int:
        if self.context is None:
            return self.default_ms
        return self.context.get_remaining_time_in_millis()

    def _run(self, event: dict, context: Any) -> dict:
        self.context = context
        try:
            return process_partial_response(event=event, record_handler=self.handle,
                                            processor=self.processor, context=context)
        finally:
            flush_events()
