"""The payment notices' daily digest: the claims feature's scheduled entry point (template.yaml
NoticesFunction, every evening, Paris time). An event may name the shards to read
(`{"shards": [0, 1]}`), so that several invocations can share a heavy day."""

from __future__ import annotations

from typing import Any

from claims.logic import notices
from domain.membership import forget
from shared.observability import flush_events, logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: Any) -> dict:
    forget()
    shards = event.get("shards") if isinstance(event, dict) else None
    try:
        run = notices.send_digests(shards=[int(s) for s in shards] if shards else None)
    finally:
        flush_events()
    logger.info("payment notices digest", extra=run.model_dump())
    return run.model_dump()
