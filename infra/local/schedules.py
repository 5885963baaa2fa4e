"""The template's scheduled functions (events of Type Schedule or ScheduleV2), run locally
every `LOCAL_SCHEDULE_SECONDS` (default 5) instead of on their cron: what a schedule does
once a day happens within seconds here, so a journey sees it (the payment notices' digest:
its own rule, one email a day at most, holds whatever the frequency). Each run goes to the
function's worker pool, whose clock is the kernel's (`shared.clock`), as any invocation.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from typing import Any

from infra.local import template

log = logging.getLogger("infra.local.schedules")
SCHEDULED = ("Schedule", "ScheduleV2")


def scheduled_functions() -> dict[str, str]:
    """Logical id of each scheduled function → the Type of its schedule."""
    found = {}
    for name, props in template.resources("AWS::Serverless::Function").items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") in SCHEDULED:
                found[name] = event["Type"]
    return found


def scheduled_event(kind: str, function: str) -> dict[str, Any]:
    """What each scheduler hands the function: EventBridge rules a « Scheduled Event »,
    EventBridge Scheduler its input (none set: an empty object)."""
    if kind == "ScheduleV2":
        return {}
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
            "source": "aws.events", "resources": [f"local:{function}"], "detail": {}}


class Schedules:
    def __init__(self, invokers: dict[str, Callable[[dict[str, Any]], Any]],
                 seconds: float | None = None) -> None:
        self.invokers = invokers
        self.seconds = seconds if seconds is not None else float(
            os.environ.get("LOCAL_SCHEDULE_SECONDS", "5"))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Schedules:
        functions = scheduled_functions()
        if functions and self.seconds > 0:
            self._thread = threading.Thread(target=self._run, args=(functions,), daemon=True,
                                            name="schedules")
            self._thread.start()
        return self

    def _run(self, functions: dict[str, str]) -> None:
        while not self._stop.wait(self.seconds):
            for function, kind in functions.items():
                try:
                    self.invokers[function](scheduled_event(kind, function))
                except Exception:
                    if self._stop.is_set():
                        return
                    log.exception("scheduled run of %s failed", function)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
