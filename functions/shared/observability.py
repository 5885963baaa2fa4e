"""Logger and Metrics, made once per function (service name from the environment).

No X-Ray SDK: Lambda's active tracing already records each invocation, and the SDK's import
alone would cost a good part of the cold-start budget.
"""

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
