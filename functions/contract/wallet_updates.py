"""The wallet updates function: the contract feature's entry point for passes that must
follow the card (template.yaml, WalletUpdatesFunction).

- On the table's stream (filtered by the event source, so only these reach it): a contract or
  beneficiary item written (a beneficiary added or leaving through the inbound Coverage, the
  end of cover) → her passes refreshed, a Query of her partition when she has none; a pass
  marked for a push (refreshed, or voided by domain.wallet.revoke_all) → the push sent.
- On its daily schedule (just after midnight, Paris): passes whose validity ended (a new
  year, the end of cover), found through their expiry index, never by scanning.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from contract.logic import wallet
from domain.membership import forget
from shared import clock
from shared.observability import logger, metrics


def _member(keys: dict[str, Any]) -> str | None:
    pk = (keys.get("pk") or {}).get("S", "")
    return pk.removeprefix("MEMBER#") if pk.startswith("MEMBER#") else None


def on_records(records: list[dict[str, Any]]) -> dict[str, Any]:
    failures = []
    refreshed: set[str] = set()
    for record in records:
        data = record.get("dynamodb") or {}
        image = data.get("NewImage") or {}
        kind = (image.get("type") or {}).get("S")
        try:
            if kind == "wallet_pass":
                wallet.push((image.get("serial") or {}).get("S", ""))
                continue
            member_id = _member(data.get("Keys") or {})
            if member_id and member_id not in refreshed:
                forget()
                wallet.refresh(member_id)
                refreshed.add(member_id)
        except Exception:
            logger.exception("wallet update failed", extra={"sequence": data.get(
                "SequenceNumber")})
            failures.append({"itemIdentifier": data.get("SequenceNumber")})
            break  # the rest of the batch is retried from this record, in order
    return {"batchItemFailures": failures}


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:
        return on_records(event["Records"])
    changed = wallet.daily(clock.today())
    logger.info("wallet daily check", extra={"changed": changed})
    return {"changed": changed}
