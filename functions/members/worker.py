"""The export worker: the export queue's event source (template.yaml), one message per export.
A message that fails is reported alone (partial batch response) and the queue tries it again;
after its last attempt the queue moves it to the dead-letter queue."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from domain.membership import forget
from members.logic import exports
from members.models import ExportMessage
from shared.batch import QueueWorker


def handle(record: SQSRecord) -> None:
    forget()
    message = ExportMessage.model_validate_json(record.body)
    exports.prepare(message, attempt=int(record.attributes.approximate_receive_count or 1),
                    time_left_ms=worker.time_left_ms)


worker = QueueWorker(handle, default_ms=60_000)
lambda_handler = worker.lambda_handler
