"""The demo mutuelle as its management system sends it: FHIR R4B resources in newline-delimited
files (FHIR bulk data style) put in the inbox bucket, so the ingest runs on every start.

One file per member (`inbox/seed-<member number>.ndjson`): her subscriber's Patient first
(it creates her file), then the other Patients, one Coverage per protected person, her
reimbursements (ExplanationOfBenefit) and her instalments (Invoice). A member is then one
file and one report, and nothing of hers waits for a person not yet known; a bad line names
the member it belongs to.
"""

from __future__ import annotations

import importlib
import json
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from domain.fhir import outbound
from infra.local import queues

if TYPE_CHECKING:
    from infra.local.seed import Member, MemberFile

INBOX, REPORTS = "inbox/", "reports/"
WAIT_SECONDS = 120.0  # the whole demo's files, through S3 → SQS → the ingest, on a slow laptop
INGEST_FUNCTION = "SystemIngestFunction"


class InboxLoadFailed(RuntimeError):
    """The seed's files were not (all) applied: the stack would start with members missing."""


def member_resources(member: Member, file: MemberFile, *,
                     brand: str | None = None) -> list[dict[str, Any]]:
    """Her resources, in the order the ingest applies them best (the subscriber first).
    Seeded reimbursements are history she already knows: no payment notice (notice false)."""
    mid = member.member_id
    subscriber = next(b.id for b in file.beneficiaries if b.relationship == "member")
    ordered = sorted(file.beneficiaries, key=lambda b: (b.id != subscriber, b.rank))
    resources = [outbound.patient(mid, b, file.profile if b.id == subscriber else None)
                 for b in ordered]
    for contract in file.contracts:
        resources += [outbound.coverage(mid, contract, b, subscriber_id=subscriber,
                                        noemie=file.noemie.get(b.id), brand=brand)
                      for b in ordered]
    contract_id = file.contracts[0].id
    resources += [outbound.explanation_of_benefit(mid, c, contract_id=contract_id,
                                                  notice=False, subscriber_id=subscriber,
                                                  brand=brand)
                  for c in file.claims]
    resources += [outbound.invoice(mid, i, subscriber_id=subscriber)
                  for i in file.contributions]
    return resources


def file_name(member_id: str) -> str:
    return f"seed-{member_id}"


def ndjson(resources: list[dict[str, Any]]) -> bytes:
    return b"".join(outbound.ndjson_line(r) for r in resources)


def report_key(name: str) -> str:
    return f"{REPORTS}{name}.report.json"


def _ingest_invoker() -> Callable[[dict[str, Any]], Any]:
    """The ingest function's handler, run here as its queue's Lambda would run it."""
    from infra.local import template
    from infra.local.server import LambdaContext

    props = template.resources("AWS::Serverless::Function")[INGEST_FUNCTION]
    module, attr = props["Handler"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module), attr)
    seconds = float(props.get("Timeout") or 900)
    # The kernel's Metrics may have been made in this process before the function's
    # environment was set; a Lambda always has its namespace (needed once 100 are counted).
    from shared.observability import metrics

    if not metrics.namespace:
        metrics.namespace = template.load()["Globals"]["Function"]["Environment"][
            "Variables"].get("POWERTOOLS_METRICS_NAMESPACE")

    def invoke(event: dict[str, Any]) -> Any:
        context = LambdaContext(function_name=INGEST_FUNCTION, aws_request_id=str(uuid.uuid4()),
                                deadline=time.monotonic() + seconds)
        return handler(event, context)

    return invoke


def load_through_inbox(session: Any, names: dict[str, str], endpoint_url: str | None,
                       files: dict[str, bytes], *,
                       wait_seconds: float = WAIT_SECONDS) -> dict[str, dict]:
    """Put each file under inbox/ and have the ingest apply it: the bucket's event goes to
    the inbox queue, whose batches are handed here to the ingest function (the stack's queue
    pollers start after the seed). Waits until each file's report says every line was
    applied; returns the reports by name. Raises InboxLoadFailed, naming the file and its
    rejected lines, when a line is rejected or a report does not come in time."""
    s3 = session.client("s3", endpoint_url=endpoint_url)
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    bucket = names["InboxBucket"]
    for name, body in files.items():
        s3.put_object(Bucket=bucket, Key=f"{INBOX}{name}.ndjson", Body=body,
                      ContentType="application/fhir+ndjson", ServerSideEncryption="AES256")
    source = next(s for s in queues.event_sources() if s.function == INGEST_FUNCTION)
    url = names[source.queue]
    invoke = _ingest_invoker()
    reports: dict[str, dict] = {}
    deadline = time.monotonic() + wait_seconds
    while True:
        while queues.deliver(sqs, url, source, session.region_name, invoke):
            pass
        for name in files.keys() - reports.keys():
            report = _report(s3, bucket, name)
            if report is not None:
                reports[name] = report
        if len(reports) == len(files):
            return reports
        if time.monotonic() > deadline:
            missing = sorted(files.keys() - reports.keys())
            raise InboxLoadFailed(
                f"no report after {wait_seconds:.0f} s for {', '.join(missing)} "
                f"(s3://{bucket}/{REPORTS}): did the inbox queue get the bucket's events?")
        time.sleep(0.2)


def _report(s3: Any, bucket: str, name: str) -> dict | None:
    """The file's finished report, None while there is none; raises on a line not applied."""
    try:
        body = s3.get_object(Bucket=bucket, Key=report_key(name))["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    report = json.loads(body)
    if not report.get("finished_at"):
        return None  # a long file's report, written as it goes
    if report.get("rejected"):
        shown = "; ".join(f"line {r.get('line')}: {r.get('reason')}"
                          for r in report["rejected"][:5])
        raise InboxLoadFailed(f"{INBOX}{name}.ndjson: {len(report['rejected'])} line(s) "
                              f"rejected ({shown})")
    if report.get("pending"):
        raise InboxLoadFailed(f"{INBOX}{name}.ndjson: {report['pending']} line(s) left "
                              "waiting for a member never created")
    return report
