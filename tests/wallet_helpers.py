"""Helpers of the wallet tests: reading a .pkpass, the wallet's test keys, the wallet updates
function's stream event source run in-process (as tests/helpers.py does for the relay)."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

PASS_TYPE = "pass.example.clairval.carte"
APPLE = "/public/wallet/apple/v1"


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pass_of(data: bytes) -> dict[str, Any]:
    return json.loads(unzip(data)["pass.json"])


def body_bytes(result_body: Any) -> bytes:
    """An in-process answer's binary body (API Gateway hands it base64-encoded)."""
    return base64.b64decode(result_body) if isinstance(result_body, str) else result_body


def secret() -> dict[str, Any]:
    """The wallet's keys as the world holds them (generated at its start)."""
    from infra.local import wallet_keys

    return json.loads(wallet_keys.generate())


def wallet_reader(after: str | None = None):
    """The wallet updates function's stream event source on this world's table."""
    import boto3

    from contract import wallet_updates
    from infra.local import bootstrap
    from infra.local.server import LambdaContext
    from infra.local.streams import StreamReader, stream_sources
    from tests.helpers import _outbox_names

    source = next(s for s in stream_sources() if s.function == "WalletUpdatesFunction")
    session = boto3.session.Session(region_name=bootstrap.REGION)
    names = _outbox_names()
    suffix = names["Table"].split("-", 1)[1]
    names["WalletUpdatesDeadLetterQueue"] = session.client("sqs").get_queue_url(
        QueueName=f"WalletUpdatesDeadLetterQueue-{suffix}")["QueueUrl"]
    return StreamReader(
        source, dynamodb=session.client("dynamodb"), streams=session.client("dynamodbstreams"),
        sqs=session.client("sqs"), names=names, region=bootstrap.REGION,
        invoke=lambda event: wallet_updates.lambda_handler(
            event, LambdaContext(function_name="WalletUpdatesFunction")), after=after)


def deliver_wallet_updates(after: str | None) -> str | None:
    """Run the stream consumer over what the stream holds after `after`, twice (a refresh
    marks a push that the next pass over the stream sends); answers the new position."""
    for _ in range(2):
        reader = wallet_reader(after)
        reader.poll_once()
        after = reader.last_sequence
    return after
