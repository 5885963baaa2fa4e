"""The procurations' daily sweep: the members feature's scheduled entry point (template.yaml
ProcurationsSweepFunction, every night just after midnight, Paris time). A procuration past
its last day is already refused at once by every request (domain.procurations.effective);
the sweep writes its end, tells the member and the management system."""

from __future__ import annotations

from typing import Any

from domain import procurations
from domain.membership import forget
from shared.observability import flush_events, logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: Any) -> dict:
    forget()
    try:
        ended = procurations.sweep_expired()
    finally:
        flush_events()
    logger.info("procurations sweep", extra={"ended": ended})
    return {"ended": ended}
