"""Logger and Metrics, made once per function (service name from the environment).

Business events (an estimate computed, a request sent, an upload refused, a statement
exported) are counted as CloudWatch metrics in Embedded Metric Format; an invocation that
counted nothing flushes nothing.

No X-Ray SDK: Lambda's active tracing already records each invocation, and the SDK's import
alone would cost a good part of the cold-start budget.
"""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger()
metrics = Metrics()


def count(event: str, value: int = 1) -> None:
    """Count one business event (metric name in CamelCase, e.g. "EstimateComputed")."""
    metrics.add_metric(name=event, unit=MetricUnit.Count, value=value)


def flush_events() -> None:
    if metrics.metric_set:
        metrics.flush_metrics()
