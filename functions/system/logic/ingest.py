"""Apply what the management system sends: one resource (a line of an inbox file, or the body
of `POST /system/fhir`) at a time, through the same code.

Semantics (docs/integration.md): a resource is applied whole or not at all (one transaction);
the same version twice changes nothing; an older version after a newer one changes nothing;
the same version with other content is refused; a resource naming a member (or beneficiary)
the portal does not know yet waits in her partition and is applied as soon as her Patient
arrives. At most two DynamoDB calls per resource on the normal path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain import notifications, outbox
from domain import requests as req
from domain.membership import beneficiary_sk, contract_sk
from domain.reimbursement import claim_sk
from shared import clock
from shared.french import spaced
from shared.ids import created_of, iso_paris
from shared.observability import count, logger
from system import repository
from system.logic import mapping
from system.logic.mapping import Mapped, Refused
from system.models import Outcome, Progress, Report

SAME_VERSION_OTHER_CONTENT = "même version, contenu différent"
# The report lists this many rejected lines at most (and counts the others): its progress item
# between two messages must stay within DynamoDB's 400 KB.
MAX_REJECTED_LISTED = 1_000
SAFETY_MS = 30_000  # a long file goes on in a new message when less time than this is left
PROGRESS_DAYS = 14
MAX_WAITING_BYTES = 300_000


def _classify(existing: dict[str, Any] | None, source: str, version: int,
              digest: str) -> Outcome | None:
    """unchanged / outdated / conflict against what the portal holds, or None (newer)."""
    held = (existing or {}).get(source)
    if held is None or int(held) < version:
        return None
    if int(held) > version:
        return Outcome(status="outdated")
    if existing.get(f"{source}_digest") == digest:
        return Outcome(status="unchanged")
    return Outcome(status="rejected", reason=SAME_VERSION_OTHER_CONTENT)


def apply_line(raw: bytes, line_no: int = 1, *, drain: bool = True) -> Outcome:
    """Apply one resource; the outcome says what became of it (never raises for bad input;
    a failing AWS call raises ServiceUnavailable, and nothing is half-written)."""
    resource_id = kind = None
    try:
        data = mapping.parse(raw)
        resource_id = str(data.get("id")) if data.get("id") else None
        kind = mapping.validate(data)
        version, digest = mapping.version_of(data), mapping.digest(data)
        if kind == "ExplanationOfBenefit":
            outcome = _apply_eob(data, raw, version, digest)
        else:
            outcome = _apply(mapping.MAPPERS[kind](data), raw, version, digest, drain=drain)
    except Refused as refused:
        outcome = Outcome(status="rejected", reason=refused.reason)
    outcome.id, outcome.resource_type = outcome.id or resource_id, outcome.resource_type or kind
    if outcome.status == "rejected":
        logger.info("resource rejected", extra={"line": line_no, "id": resource_id,
                                                "reason": outcome.reason})
    return outcome


def _apply(mapped: Mapped, raw: bytes, version: int, digest: str, *, drain: bool) -> Outcome:
    ops: list[dict[str, Any]] = []
    creates_file = any(w.sk == "FILE#PROFILE" for w in mapped.writes)
    if not creates_file:
        ops.append(repository.profile_check(mapped.member_id))
    for w in mapped.writes:
        ops.append(repository.update_op(
            mapped.member_id, w.sk, w.fields, source=mapped.source, version=version,
            digest=digest, requires=w.requires, bump_version=w.sk == "FILE#PROFILE",
            defaults=w.defaults))
    try:
        repository.write(ops)
    except repository.Cancelled as cancelled:
        if not creates_file and 0 in cancelled.failed:
            return _park(mapped.member_id, mapped.kind, mapped.id, version, raw)
        held = repository.item(mapped.member_id, mapped.writes[0].sk)
        known = _classify(held, mapped.source, version, digest)
        if known is not None:
            if known.status == "unchanged" and mapped.kind == "Patient" and drain:
                _drain(mapped.member_id)  # a first attempt may have stopped before it
            return known
        missing = [a for w in mapped.writes for a in w.requires if a not in (held or {})]
        if missing:
            return _park(mapped.member_id, mapped.kind, mapped.id, version, raw)
        raise
    if mapped.kind == "Patient" and drain:
        _drain(mapped.member_id)
    return Outcome(status="applied", id=mapped.id)


def _park(member_id: str, kind: str, resource_id: str, version: int, raw: bytes) -> Outcome:
    if len(raw) > MAX_WAITING_BYTES:  # a DynamoDB item holds 400 KB at most
        return Outcome(status="rejected", id=resource_id,
                       reason="adhérent inconnu, et ressource trop volumineuse pour attendre "
                              "son arrivée : envoyez d'abord son Patient")
    repository.park(member_id, kind, resource_id, version, raw)
    return Outcome(status="pending", id=resource_id,
                   reason="en attente : l'adhérent ou le bénéficiaire n'est pas encore connu")


def _drain(member_id: str) -> None:
    """Apply what waited for this member (her Patient just arrived). Patients first: the
    others wait for them."""
    waiting = repository.waiting(member_id)
    order = {"Patient": 0, "Coverage": 1, "Invoice": 2, "ExplanationOfBenefit": 3}
    waiting.sort(key=lambda i: order.get(i["sk"].split("#")[1], 9))
    for item in waiting:
        outcome = apply_line(item["raw"].encode(), 0, drain=False)
        if outcome.status == "rejected":  # its file's report said « en attente »: say it here
            logger.warning("waiting resource rejected", extra={
                "member_id": member_id, "id": outcome.id, "reason": outcome.reason})
        if outcome.status != "pending":
            repository.unpark(member_id, item["sk"], int(item["version"]))


# ----------------------------------------------------------------------------- reimbursements
def _request_sk(request_id: str) -> str | None:
    created = created_of(request_id, "R")
    return f"REQ#{created}#{request_id}" if created else None


def _apply_eob(data: dict[str, Any], raw: bytes, version: int, digest: str) -> Outcome:
    eob = mapping.explanation_of_benefit(data)
    sk = claim_sk(eob.claim_id, eob.care_date)
    request_sk = _request_sk(eob.request_id) if eob.request_id else None
    wanted = ["FILE#PROFILE", beneficiary_sk(eob.beneficiary_id), sk]
    if eob.contract_id:
        wanted.append(contract_sk(eob.contract_id))
    if request_sk:
        wanted.append(request_sk)
    held = repository.items(eob.member_id, wanted)
    benef = held.get(beneficiary_sk(eob.beneficiary_id)) or {}
    if "FILE#PROFILE" not in held or "first_name" not in benef:
        return _park(eob.member_id, "ExplanationOfBenefit", eob.id, version, raw)
    known = _classify(held.get(sk), "src_explanationofbenefit", version, digest)
    if known is not None:
        known.id = eob.id
        return known
    contract = held.get(contract_sk(eob.contract_id)) if eob.contract_id else None
    fields = mapping.claim_item(
        eob, beneficiary_name=f"{benef['first_name']} {benef['last_name']}",
        formula_id=(contract or {}).get("formula_id"))
    ops = [repository.profile_check(eob.member_id),
           repository.update_op(eob.member_id, sk, fields, source="src_explanationofbenefit",
                                version=version, digest=digest)]
    was_paid = (held.get(sk) or {}).get("status") == "paid"
    if eob.status == "paid" and not was_paid and eob.notice:
        ops.append(repository.put_new_op(mapping.notice_item(eob, benef["first_name"])))
    request = held.get(request_sk) if request_sk else None
    if (request is not None and eob.status == "paid"
            and request.get("status") == "payment_requested"):
        ops += _close_request(req.RequestItem.model_validate(request), eob.claim_id,
                              held["FILE#PROFILE"].get("email"))
    try:
        repository.write(ops)
    except repository.Cancelled:
        # A concurrent writer got there first (another copy of this resource, an advisor on
        # the request): read again and say what became of it, or let the message be retried.
        again = _classify(repository.item(eob.member_id, sk), "src_explanationofbenefit",
                          version, digest)
        if again is not None:
            again.id = eob.id
            return again
        raise
    return Outcome(status="applied", id=eob.id)


def _close_request(request: req.RequestItem, claim_id: str,
                   email: str | None) -> list[dict[str, Any]]:
    """The paid request moves to « Acceptée » (action pay), with its email in the outbox."""
    now = iso_paris(clock.now())
    status = req.next_status("pay", request.status)
    closed = request.model_copy(update={
        "status": status, "version": request.version + 1, "updated_at": now,
        "outcome": {**request.outcome, "claim_id": claim_id, "paid": True},
        "history": [*request.history, req.Event(
            at=now, by_role="system", by_name="Votre mutuelle", action="pay", status=status,
            message=spaced("Le remboursement a été payé : son décompte est dans « Mes "
                           "remboursements »."))]})
    ops = [repository.replace_op(req.to_item(closed), version=request.version)]
    if email:
        subject, body = notifications.text(closed)
        ops.append(repository.put_new_op(outbox.email(
            request.member_id, email, subject, body, reference=closed.reference)["put"]))
    return ops


# ----------------------------------------------------------------------------- files
def report_key(key: str) -> str:
    name = key.removeprefix("inbox/")
    name = name.removesuffix(".ndjson")
    return f"reports/{name}.report.json"


def ingest_object(bucket: str, key: str, *, version_id: str | None = None,
                  etag: str | None = None, offset: int = 0,
                  time_left_ms: Callable[[], int] | None = None) -> Report:
    """Stream an inbox file line by line, apply each, write its report beside it. When the
    Lambda's time runs short, the progress is saved and the rest goes on in a new message
    (the report is then written by the message that finishes)."""
    etag = (etag or "").strip('"') or None
    state = None
    if offset:
        saved = repository.progress(key, etag or version_id or "-")
        state = Progress.model_validate_json(saved["state"]) if saved else None
    if state is None:
        report = Report(file=key, etag=etag, started_at=iso_paris(clock.now()))
        offset, line_no = 0, 0
    else:
        report, offset = state.report, state.offset
        line_no = report.lines
    for position, raw in repository.lines(bucket, key, offset, version_id):
        line_no += 1
        if raw is None:
            outcome = Outcome(status="rejected", reason="ligne trop longue (plus de 1 Mo)")
        elif not raw.strip():
            offset = position
            report.lines = line_no
            continue
        else:
            outcome = apply_line(raw, line_no)
        if outcome.status == "rejected" and len(report.rejected) >= MAX_REJECTED_LISTED:
            report.lines = line_no
            report.rejected_not_listed += 1
        else:
            report.count(line_no, outcome)
        offset = position
        if time_left_ms is not None and time_left_ms() < SAFETY_MS:
            progress = Progress(bucket=bucket, key=key, offset=offset, report=report)
            marker = etag or version_id or "-"
            repository.save_progress(key, marker, progress.model_dump(mode="json"),
                                     clock.epoch() + PROGRESS_DAYS * 86400)
            repository.continue_later({"continue": {
                "bucket": bucket, "key": key, "version_id": version_id, "etag": etag,
                "offset": offset}})
            logger.info("inbox file continues later", extra={"key": key, "offset": offset})
            return report
    report.finished_at = iso_paris(clock.now())
    repository.put_report(bucket, report_key(key), report.model_dump(mode="json"))
    logger.info("inbox file ingested", extra={
        "key": key, "lines": report.lines, "applied": report.applied,
        "unchanged": report.unchanged, "outdated": report.outdated, "pending": report.pending,
        "rejected": len(report.rejected) + report.rejected_not_listed})
    # Counted once per file (a metric per line would log a line of metrics per 100 lines).
    count("InboxFileIngested")
    for status in ("applied", "unchanged", "outdated", "pending"):
        if getattr(report, status):
            count(f"Resource{status.capitalize()}", getattr(report, status))
    if report.rejected:
        count("ResourceRejected", len(report.rejected) + report.rejected_not_listed)
    return report
