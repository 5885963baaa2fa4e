"""The DynamoDB stream event sources of the template's functions, run locally as Lambda runs
them (as infra/local/queues.py does for SQS): a reader per source gets the table's stream
records from moto (DynamoDB Streams' GetShardIterator / GetRecords), keeps those the mapping's
FilterCriteria let through (Lambda's event filtering: a record no pattern matches is dropped,
never delivered), hands them in batches to the function as Lambda's DynamoDB stream event,
and honours its answer: `batchItemFailures` retries from the first reported record; an error
retries the batch, split in halves when BisectBatchOnFunctionError is set; past
MaximumRetryAttempts, the batch's description goes to the on-failure destination (an SQS
queue) and the reader moves on. Records of one shard are delivered in order.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from infra.local import template
from shared import clock

log = logging.getLogger("infra.local.streams")
Invoke = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class StreamSource:
    function: str
    table: str  # the table's logical id
    batch_size: int
    patterns: tuple[dict[str, Any], ...]
    bisect: bool
    max_retries: int
    on_failure: str | None  # the on-failure queue's logical id


def stream_sources() -> list[StreamSource]:
    found = []
    for name, props in template.resources("AWS::Serverless::Function").items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "DynamoDB":
                continue
            p = event["Properties"]
            filters = (p.get("FilterCriteria") or {}).get("Filters") or []
            destination = ((p.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
                "Destination")
            found.append(StreamSource(
                function=name, table=p["Stream"]["Fn::GetAtt"][0],
                batch_size=int(p.get("BatchSize", 100)),
                patterns=tuple(json.loads(f["Pattern"]) for f in filters),
                bisect=bool(p.get("BisectBatchOnFunctionError", False)),
                max_retries=int(p.get("MaximumRetryAttempts", -1)),
                on_failure=destination["Fn::GetAtt"][0] if destination else None))
    return found


# ------------------------------------------------------------------------- event filtering
def _value_matches(rule: Any, value: Any, present: bool) -> bool:
    if isinstance(rule, dict):
        if "exists" in rule:
            return present == bool(rule["exists"])
        if not present:
            return False
        if "prefix" in rule:
            return isinstance(value, str) and value.startswith(rule["prefix"])
        if "anything-but" in rule:
            but = rule["anything-but"]
            return value not in (but if isinstance(but, list) else [but])
        if "numeric" in rule:
            ops = rule["numeric"]
            checks = {"=": lambda a, b: a == b, "<": lambda a, b: a < b,
                      "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
                      ">=": lambda a, b: a >= b}
            try:
                number = float(value)
            except (TypeError, ValueError):
                return False
            return all(checks[op](number, float(limit))
                       for op, limit in zip(ops[::2], ops[1::2], strict=True))
        raise ValueError(f"unsupported filter rule {rule}")
    return present and value == rule


def matches(pattern: dict[str, Any], record: dict[str, Any]) -> bool:
    """Lambda's event filtering: every key of the pattern must match; a list is any of its
    rules; nested objects match nested fields."""
    for key, rule in pattern.items():
        present = key in record
        value = record.get(key)
        if isinstance(rule, dict):
            if not present or not isinstance(value, dict):
                return False
            if not matches(rule, value):
                return False
            continue
        if not any(_value_matches(r, value, present) for r in rule):
            return False
    return True


def kept(source: StreamSource, record: dict[str, Any]) -> bool:
    return not source.patterns or any(matches(p, record) for p in source.patterns)


# ------------------------------------------------------------------------- Lambda's shapes
def lambda_record(raw: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A stream record as Lambda hands it over (with the source's ARN, the creation time in
    epoch seconds)."""
    dynamodb = dict(raw["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**raw, "awsRegion": region, "dynamodb": dynamodb, "eventSourceARN": stream_arn}


def failure_message(source: StreamSource, batch: list[dict[str, Any]], stream_arn: str,
                    shard_id: str, reason: str) -> dict[str, Any]:
    """What Lambda sends to an on-failure destination: where the batch was, not its data."""
    return {
        "requestContext": {"condition": reason, "functionArn": source.function,
                           "approximateInvokeCount": source.max_retries + 1},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "version": "1.0",
        "timestamp": clock.now().astimezone(UTC).isoformat(),
        "DDBStreamBatchInfo": {
            "shardId": shard_id, "streamArn": stream_arn, "batchSize": len(batch),
            "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
            "approximateArrivalOfFirstRecord": batch[0]["dynamodb"].get(
                "ApproximateCreationDateTime"),
            "approximateArrivalOfLastRecord": batch[-1]["dynamodb"].get(
                "ApproximateCreationDateTime")}}


# ------------------------------------------------------------------------- delivery
class StreamReader:
    """One event source mapping on one table's stream (moto's streams have one shard)."""

    def __init__(self, source: StreamSource, *, dynamodb: Any, streams: Any, sqs: Any,
                 names: dict[str, str], region: str, invoke: Invoke,
                 after: str | None = None, retry_wait: float = 0.0) -> None:
        self.source, self.streams, self.sqs, self.region = source, streams, sqs, region
        self.invoke, self.retry_wait = invoke, retry_wait
        self.names = names
        table = dynamodb.describe_table(TableName=names[source.table])["Table"]
        self.stream_arn = table["LatestStreamArn"]
        shards = streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"][
            "Shards"]
        self.shard_id = shards[0]["ShardId"]
        self.last_sequence = after  # the last record read (delivered, dropped or given up)
        self._stop = threading.Event()

    def _iterator(self) -> str:
        if self.last_sequence:
            return self.streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=self.shard_id,
                ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                SequenceNumber=self.last_sequence)["ShardIterator"]
        return self.streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=self.shard_id,
            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]

    def poll_once(self) -> int:
        """Read what the stream holds after the last record read and deliver it; answers how
        many records were delivered to the function (after filtering)."""
        delivered = 0
        iterator = self._iterator()
        while True:
            answer = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            records = answer.get("Records", [])
            if not records:
                return delivered
            batch = [lambda_record(r, self.stream_arn, self.region) for r in records
                     if kept(self.source, r)]
            for start in range(0, len(batch), self.source.batch_size):
                chunk = batch[start:start + self.source.batch_size]
                self._deliver(chunk, attempts_left=self._attempts())
                delivered += len(chunk)
            self.last_sequence = records[-1]["dynamodb"]["SequenceNumber"]
            iterator = answer.get("NextShardIterator") or self._iterator()

    def _attempts(self) -> int:
        # -1: Lambda retries until the record expires from the stream; here, a bounded many.
        return self.source.max_retries if self.source.max_retries >= 0 else 100

    def _call(self, batch: list[dict[str, Any]]) -> tuple[str, int]:
        """("ok", n) | ("partial", index of the first failed record) | ("error", 0)."""
        try:
            result = self.invoke({"Records": batch})
        except Exception:
            log.exception("%s failed on a stream batch", self.source.function)
            return "error", 0
        if isinstance(result, dict) and (result.get("errorType") or result.get("statusCode")):
            return "error", 0  # an error or the pool's timeout answer
        failures = (result or {}).get("batchItemFailures") if isinstance(result, dict) else None
        if not failures:
            return "ok", len(batch)
        sequences = [r["dynamodb"]["SequenceNumber"] for r in batch]
        failed = [f.get("itemIdentifier") for f in failures]
        if any(f not in sequences for f in failed):
            return "error", 0  # an identifier not of this batch fails the whole batch
        return "partial", min(sequences.index(f) for f in failed)

    def _deliver(self, batch: list[dict[str, Any]], attempts_left: int) -> None:
        outcome, index = self._call(batch)
        if outcome == "ok":
            return
        remaining = batch[index:] if outcome == "partial" else batch
        if attempts_left <= 0:
            self._give_up(remaining, "RetryAttemptsExhausted")
            return
        if self.retry_wait:
            self._stop.wait(self.retry_wait)
        if outcome == "error" and self.source.bisect and len(remaining) > 1:
            half = len(remaining) // 2
            self._deliver(remaining[:half], attempts_left - 1)
            self._deliver(remaining[half:], attempts_left - 1)
        else:
            self._deliver(remaining, attempts_left - 1)

    def _give_up(self, batch: list[dict[str, Any]], reason: str) -> None:
        log.warning("%s: %d stream records given up (%s)", self.source.function, len(batch),
                    reason)
        if self.source.on_failure:
            self.sqs.send_message(
                QueueUrl=self.names[self.source.on_failure],
                MessageBody=json.dumps(failure_message(self.source, batch, self.stream_arn,
                                                       self.shard_id, reason)))

    # -------------------------------------------------------------------- as a thread
    def run(self, period: float = 0.25) -> None:
        while not self._stop.is_set():
            try:
                if not self.poll_once():
                    self._stop.wait(period)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("reading the stream of %s failed", self.source.table)
                self._stop.wait(1)

    def stop(self) -> None:
        self._stop.set()


class StreamPollers:
    """One thread per stream event source, reading until stopped."""

    def __init__(self, endpoint_url: str, names: dict[str, str], region: str,
                 invokers: dict[str, Invoke]) -> None:
        import boto3

        session = boto3.session.Session(region_name=region)
        self.readers = [StreamReader(
            source, dynamodb=session.client("dynamodb", endpoint_url=endpoint_url),
            streams=session.client("dynamodbstreams", endpoint_url=endpoint_url),
            sqs=session.client("sqs", endpoint_url=endpoint_url), names=names,
            region=region, invoke=invokers[source.function], retry_wait=0.5)
            for source in stream_sources()]
        self._threads: list[threading.Thread] = []

    def start(self) -> StreamPollers:
        for reader in self.readers:
            thread = threading.Thread(target=reader.run, daemon=True,
                                      name=f"stream-{reader.source.function}")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for reader in self.readers:
            reader.stop()
        for thread in self._threads:
            thread.join(timeout=5)
