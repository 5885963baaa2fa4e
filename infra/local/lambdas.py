"""Lambda functions for the local stack: each function is a small pool of worker processes,
each worker one execution environment that handles one invocation at a time, as on AWS.

A Powertools resolver keeps the current event on its module-level `app`, so invocations of one
function must never share a process concurrently: processes, not threads. Workers are forked
from a fork server (never from the gateway, which runs threads and moto) that has imported the
libraries every function uses; each gets its function's own environment from the template,
then imports the handler once, as a warm Lambda does.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, TimeoutError
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FUNCTIONS = str(Path(__file__).resolve().parents[2] / "functions")
_handler: Any = None
_function = ""


# Here, not in server.py: a worker would import the whole gateway (0.16 s) at its first call.
@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = ""
    invoked_function_arn: str = ""
    log_group_name: str = "local"
    log_stream_name: str = "local"
    function_version: str = "$LATEST"
    deadline: float = 0.0  # time.monotonic() at the function's timeout, when the invoker knows it

    def get_remaining_time_in_millis(self) -> int:
        if not self.deadline:
            return 10_000
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _orphan_watch(parent: int) -> None:
    """A worker whose stack was killed outright must not linger: leave when the parent goes."""
    while os.getppid() == parent:
        time.sleep(2)
    os._exit(0)


def init(function: str, handler: str, env: dict[str, str]) -> None:
    global _handler, _function
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()
    os.environ.update(env)
    if FUNCTIONS not in sys.path:
        sys.path.insert(0, FUNCTIONS)
    module, attr = handler.rsplit(".", 1)
    _handler = getattr(importlib.import_module(module), attr)
    _function = function


def _invoke(event: dict[str, Any], timeout: float = 0.0) -> dict[str, Any]:
    # An API Gateway event names its request; a queue's batch gets an id of its own.
    request_id = (event.get("requestContext") or {}).get("requestId") or str(uuid.uuid4())
    context = LambdaContext(function_name=_function, aws_request_id=request_id,
                            deadline=time.monotonic() + timeout if timeout else 0.0)
    return _handler(event, context)


def _ready() -> int:
    return os.getpid()


# What every function imports whatever its environment: loaded once by the fork server, each
# worker forked from it with them (their pages shared), instead of every worker importing them
# again (0.4 s of CPU each, 28 workers a stack). Nothing here reads the environment when
# imported: each worker gets its function's own before it imports the function's code.
PRELOAD = ["boto3", "botocore.session", "pydantic", "aws_lambda_powertools.event_handler",
           "aws_lambda_powertools.logging", "aws_lambda_powertools.metrics",
           "aws_lambda_powertools.utilities.idempotency", "aws_lambda_powertools.utilities.parser"]


def _context() -> multiprocessing.context.BaseContext:
    """A fork server: started fresh (not forked from the gateway, which runs threads and
    moto), it forks each worker from itself."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


# What each new worker runs first (the date sweep's tests wrap it to move the worker's clock).
initializer: Any = init


class FunctionPool:
    def __init__(self, function: str, handler: str, env: dict[str, str], *, size: int = 3,
                 timeout: float = 30.0, function_timeout: float = 0.0) -> None:
        self.function, self.timeout, self.size = function, timeout, size
        self.function_timeout = function_timeout  # the template's Timeout, for the context
        self._executor = ProcessPoolExecutor(
            max_workers=size, mp_context=_context(),
            initializer=initializer, initargs=(function, handler, env))

    def warm(self) -> None:
        """Start every worker now rather than on the first requests."""
        for future in [self._executor.submit(_ready) for _ in range(self.size)]:
            future.result(timeout=60)

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        future = self._executor.submit(_invoke, event, self.function_timeout)
        try:
            return future.result(timeout=self.timeout)
        except TimeoutError:
            future.cancel()
            return {"statusCode": 504, "headers": {"Content-Type": "application/json"},
                    "body": '{"message":"Endpoint request timed out"}'}

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
