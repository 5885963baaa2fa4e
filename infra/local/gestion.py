"""The management system (gestion) of the local stack: a simulator that stands for the
mutuelle's system of record, as the sandbox provider stands for a card payment provider.

- It long-polls `GestionQueue`, where the bus's `GestionRule` delivers the portal's events
  (the EventBridge envelope: {"version", "id", "detail-type", "source", "time", "detail"},
  `detail` being the outbox item's `event`), and records every message received, unreadable
  or unknown ones too: nothing it receives crashes it.
- On `ReimbursementPaymentRequested` it waits `GESTION_PAY_DELAY` seconds (default 3), then
  pays: one ExplanationOfBenefit (docs/integration.md's profile, valid FHIR R4B) in an ndjson
  file put in `InboxBucket` under `inbox/gestion-<time>-<n>.ndjson`. A claim is paid once,
  however many times its event comes (EventBridge and SQS deliver at least once).
- On `OverpaymentRepaid` (a trop-perçu paid back by card in the portal) it waits as long,
  then balances it: the trop-perçu's Invoice, read from the portal's table, sent back
  `balanced` with its `paid-on` date, one version up. Balanced once, however many times the
  event comes.
- `drop()` puts any file in the inbox (the tests end a member's contract with a Coverage).
- Every file it puts is recorded as an exchange towards the portal; the ingest's report
  (`reports/<name>.report.json`) is attached to it when it appears.

The page /local/echanges/ (and its JSON twin /local/echanges.json) lists the exchanges both
ways, newest first. Local only: not part of the template.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

from domain.fhir import profile
from shared import clock
from shared.ids import iso_paris

log = logging.getLogger("infra.local.gestion")

PAY_EVENT = "ReimbursementPaymentRequested"
REPAID_EVENT = "OverpaymentRepaid"
DEFAULT_DELAY = 3.0
WAIT_SECONDS = 1  # long-poll: short enough to stop quickly
MAX_EXCHANGES = 500  # the page's memory: the oldest go first
EX_PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/ex-paymenttype"
CLAIM_TYPES = {"pharmacy": "pharmacy", "optics": "vision", "dental_care": "oral",
               "dental_prosthesis": "oral", "hospital": "institutional"}
# What each event says, for the page (never an IBAN in full, never an amount of health care).
SUMMARIES: dict[str, Callable[[dict[str, Any]], str]] = {
    PAY_EVENT: lambda d: (f"Demande de remboursement {d.get('reference') or d.get('request_id')}"
                          f" à payer (soin du {d.get('care_date')}, acte {d.get('act_code')})"),
    "BeneficiaryAdded": lambda d: (f"Bénéficiaire ajouté : {d.get('first_name', '')} "
                                   f"{d.get('last_name', '')}".rstrip()),
    "BankDetailsReplaced": lambda d: (
        "Coordonnées bancaires remplacées ("
        + ("cotisations" if d.get("target") == "contribution" else "remboursements") + ")"),
    "AddressChanged": lambda d: "Adresse modifiée",
    "EmailChanged": lambda d: "Adresse électronique modifiée",
    "PortabilityAccepted": lambda d: (f"Portabilité acceptée du {d.get('start')} au "
                                      f"{d.get('end')}"),
    "ContributionPaymentReceived": lambda d: (
        "Paiement de cotisations reçu (" + ", ".join(map(str, d.get("periods") or [])) + ")"),
    "PaymentDisputed": lambda d: f"Paiement non reconnu signalé ({d.get('claim_id')})",
    "ProcurationStarted": lambda d: (f"Procuration donnée à {d.get('grantee_first_name', '')} "
                                     f"{d.get('grantee_last_name', '')} jusqu'au "
                                     f"{d.get('until')}"),
    "ProcurationEnded": lambda d: f"Procuration terminée ({d.get('reason')})",
    "ContractTerminationRequested": lambda d: (
        f"Résiliation demandée ({d.get('reason')}), prenant effet le {d.get('effective_on')}"),
    "EmailRequested": lambda d: "Courriel à envoyer (canal courriel, pas pour la gestion)",
    # Issue 21: trop-perçus.
    "OverpaymentRepaid": lambda d: f"Trop-perçu {d.get('overpayment_id')} remboursé par carte",
    "OverpaymentInstalmentsRequested": lambda d: (
        f"Échéancier demandé pour le trop-perçu {d.get('overpayment_id')} "
        f"({d.get('months')} mois)"),
    "OverpaymentContested": lambda d: f"Trop-perçu {d.get('overpayment_id')} contesté",
}

# (member_id, claim_id, care_date) -> the stored reimbursement's item, or None.
ClaimLookup = Callable[[str, str, str], dict[str, Any] | None]
# (member_id, overpayment_id) -> the stored trop-perçu's item, or None.
OverpaymentLookup = Callable[[str, str], dict[str, Any] | None]


def pay_delay() -> float:
    try:
        return max(0.0, float(os.environ.get("GESTION_PAY_DELAY", DEFAULT_DELAY)))
    except ValueError:
        return DEFAULT_DELAY


def _money(cents: int) -> dict[str, Any]:
    return {"value": Decimal(cents) / 100, "currency": "EUR"}


def _figures_of(detail: dict[str, Any], claim: dict[str, Any] | None) -> tuple[dict, list]:
    """The split to pay: the portal's own (computed by the engine at acceptance) when the
    claim is found, else what the event says (price, mutual part) with the rest left to pay."""
    if claim:
        figures = {k: int(claim.get(k) or 0) for k in profile.FIGURES}
        return figures, list(claim.get("lines") or [])
    price, mutual = int(detail["price_cents"]), int(detail["mutual_cents_estimated"])
    figures = dict.fromkeys(profile.FIGURES, 0)
    figures.update(real_cost_cents=price, mutual_cents=mutual,
                   out_of_pocket_cents=price - mutual)
    return figures, []


def explanation_of_benefit(member_id: str, detail: dict[str, Any], *, paid_on: date,
                           brand: str, contract_id: str = "CT1",
                           claim: dict[str, Any] | None = None) -> dict[str, Any]:
    """The payment of a reimbursement as the management system sends it: of a portal request
    when `detail` names one (`request_id`), with the split of `claim` when given."""
    from engine import get_act

    care_date = date.fromisoformat(str(detail["care_date"]))
    act = get_act(str(detail["act_code"]), care_date)
    figures, lines = _figures_of(detail, claim)
    explained = {line.get("key"): line for line in lines if isinstance(line, dict)}
    adjudication = []
    for field, (system, code) in profile.FIGURES.items():
        entry: dict[str, Any] = {"category": {"coding": [{"system": system, "code": code}]},
                                 "amount": _money(figures[field])}
        line = explained.get(field.removesuffix("_cents"))
        if line:
            entry["reason"] = {"text": line.get("explanation") or line.get("label")}
            entry["extension"] = [{"url": profile.ext("line-label"),
                                   "valueString": line.get("label")}]
        adjudication.append(entry)
    practitioner = detail.get("practitioner") or {}
    extensions = []
    if practitioner.get("sector") in (1, 2):
        extensions.append({"url": profile.ext("practitioner-sector"),
                           "valueInteger": practitioner["sector"]})
    if isinstance(practitioner.get("optam"), bool):
        extensions.append({"url": profile.ext("practitioner-optam"),
                           "valueBoolean": practitioner["optam"]})
    if claim:
        extensions += [{"url": profile.ext("situation"), "valueString": str(situation)}
                       for situation in claim.get("situations") or []]
        if claim.get("care_pathway") is False:
            extensions.append({"url": profile.ext("care-pathway"), "valueBoolean": False})
    benef = str(detail["beneficiary_id"])
    paid = figures["mutual_cents"]
    eob: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit",
        "id": str(detail["claim_id"]),
        "meta": {"versionId": "1"},
        "status": "active",
        "type": {"coding": [{"system": profile.CLAIM_TYPE,
                             "code": CLAIM_TYPES.get(act.category, "professional")}]},
        "use": "claim",
        "patient": {"reference": f"Patient/{profile.patient_id(member_id, benef)}"},
        "created": iso_paris(clock.now()),
        "insurer": {"display": brand},
        "provider": {"display": ((claim or {}).get("practitioner") or {}).get("name")
                     or "Praticien"},
        "outcome": "complete",
        "insurance": [{"focal": True, "coverage": {
            "reference": f"Coverage/{profile.coverage_id(contract_id, member_id, benef)}"}}],
        "item": [{
            "sequence": 1,
            "productOrService": {"coding": [{"system": profile.ACT, "code": act.code,
                                             "display": act.label}]},
            "servicedDate": care_date.isoformat(),
            "quantity": {"value": int(detail.get("quantity") or 1)},
            "adjudication": adjudication,
        }],
        "total": [{"category": {"coding": [{"system": s, "code": c}]},
                   "amount": _money(figures[f])}
                  for f in ("real_cost_cents", "mutual_cents")
                  for s, c in [profile.FIGURES[f]]],
        "payment": {"type": {"coding": [{"system": EX_PAYMENT_TYPE, "code": "complete"}]},
                    "date": paid_on.isoformat(), "amount": _money(paid)},
    }
    if detail.get("request_id"):  # the portal request it pays (closed when applied)
        eob["claim"] = {"identifier": {"system": profile.PORTAL_REQUEST,
                                       "value": str(detail["request_id"])}}
    if extensions:
        eob["extension"] = extensions
    masked = (claim or {}).get("bank_account_masked")
    if masked:
        eob["payment"]["extension"] = [{"url": profile.ext("bank-account-masked"),
                                        "valueString": masked}]
    return eob


def to_json(resource: dict[str, Any]) -> str:
    """One ndjson line. Amounts have two decimals at most: a float's shortest text is exactly
    the Decimal's, so the reader gets the same euros back."""
    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(type(value))

    return json.dumps(resource, ensure_ascii=False, separators=(",", ":"), default=default)


class Simulator:
    """One management system, consuming one queue and writing into one bucket."""

    def __init__(self, sqs: Any, s3: Any, queue_url: str | None, bucket: str | None, *,
                 brand: str = "Votre mutuelle", delay: float | None = None,
                 claim_lookup: ClaimLookup | None = None,
                 contract_lookup: Callable[[str], str | None] | None = None,
                 overpayment_lookup: OverpaymentLookup | None = None) -> None:
        self.sqs, self.s3, self.queue_url, self.bucket = sqs, s3, queue_url, bucket
        self.brand = brand
        self.delay = pay_delay() if delay is None else delay
        self.claim_lookup, self.contract_lookup = claim_lookup, contract_lookup
        self.overpayment_lookup = overpayment_lookup
        self._exchanges: list[dict[str, Any]] = []
        # claims paid and trop-perçus balanced (or about to be): each once
        self._paid: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._count = itertools.count(1)
        self._timers: list[threading.Timer] = []
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ running
    def start(self) -> Simulator:
        if self.bucket:  # without a queue yet, it still lists the inbox's files
            self._thread = threading.Thread(target=self._run, daemon=True, name="gestion")
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for timer in list(self._timers):
            timer.cancel()
        if self._thread:
            self._thread.join(timeout=WAIT_SECONDS + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.queue_url:
                    self.poll_once(WAIT_SECONDS)
                else:
                    self._stop.wait(WAIT_SECONDS)
                self.discover_files()
                self.collect_reports()
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("the management system simulator failed a poll")
                self._stop.wait(1)

    def poll_once(self, wait_seconds: int = 0) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10,
            WaitTimeSeconds=wait_seconds).get("Messages", [])
        for message in messages:
            try:
                self.receive(message.get("Body") or "")
            except Exception:  # recorded, never fatal: the next message is read all the same
                log.exception("the simulator could not handle a message")
                self._record("to_gestion", "invalid", None,
                             "Message non traité : erreur du simulateur", status="error")
            self.sqs.delete_message(QueueUrl=self.queue_url,
                                    ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    # ------------------------------------------------------------------ receiving
    def receive(self, body: str) -> dict[str, Any]:
        """Record one message of the queue and act on it; returns its record."""
        try:
            envelope = json.loads(body)
        except ValueError:
            return self._record("to_gestion", "invalid", None,
                                "Message illisible (pas du JSON) : ignoré", status="rejected",
                                raw=body[:500])
        detail_type = envelope.get("detail-type") if isinstance(envelope, dict) else None
        event = envelope.get("detail") if isinstance(envelope, dict) else None
        if not isinstance(detail_type, str) or not isinstance(event, dict):
            return self._record("to_gestion", "invalid", None,
                                "Enveloppe EventBridge incomplète (detail-type, detail) : "
                                "ignorée", status="rejected", raw=body[:500])
        detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
        member_id = event.get("member_id") if isinstance(event.get("member_id"), str) else None
        event_id = event.get("id") or envelope.get("id")
        if detail_type not in SUMMARIES:
            return self._record("to_gestion", detail_type, member_id,
                                f"Type d’événement inconnu « {detail_type} » : ignoré",
                                status="rejected", event_id=event_id)
        try:
            summary = SUMMARIES[detail_type](detail)
        except Exception:
            summary = detail_type
        if detail_type == REPAID_EVENT:
            return self._received_repayment(member_id, detail, summary, event_id)
        if detail_type != PAY_EVENT:
            return self._record("to_gestion", detail_type, member_id, summary,
                                status="received", event_id=event_id)
        missing = [k for k in ("request_id", "claim_id", "beneficiary_id", "care_date",
                               "act_code", "price_cents", "mutual_cents_estimated")
                   if detail.get(k) in (None, "")]
        if member_id is None or missing:
            return self._record("to_gestion", detail_type, member_id,
                                "Demande de paiement incomplète (" + ", ".join(
                                    missing or ["member_id"]) + ") : non payée",
                                status="rejected", event_id=event_id)
        return self._once_later(detail["claim_id"], detail_type, member_id, summary, event_id,
                                " — déjà reçue : payée une seule fois", self._pay_safely,
                                (member_id, detail))

    def _once_later(self, done: str, detail_type: str, member_id: str, summary: str,
                    event_id: Any, again: str, act: Callable[..., None],
                    args: tuple) -> dict[str, Any]:
        """Records the event and acts on it after the delay, once per `done` however many
        times it comes (EventBridge and SQS deliver at least once)."""
        with self._lock:
            duplicate = done in self._paid
            self._paid.add(done)
        if duplicate:
            return self._record("to_gestion", detail_type, member_id, summary + again,
                                status="duplicate", event_id=event_id)
        record = self._record("to_gestion", detail_type, member_id, summary,
                              status="received", event_id=event_id)
        timer = threading.Timer(self.delay, act, args=args)
        timer.daemon = True
        self._timers = [t for t in self._timers if t.is_alive()] + [timer]
        timer.start()
        return record

    def _received_repayment(self, member_id: str | None, detail: dict[str, Any], summary: str,
                            event_id: Any) -> dict[str, Any]:
        overpayment_id = detail.get("overpayment_id")
        if member_id is None or not isinstance(overpayment_id, str) or not overpayment_id:
            return self._record("to_gestion", REPAID_EVENT, member_id,
                                "Remboursement de trop-perçu incomplet (overpayment_id, "
                                "member_id) : non soldé", status="rejected", event_id=event_id)
        done = f"{member_id}/{overpayment_id}"
        return self._once_later(done, REPAID_EVENT, member_id, summary, event_id,
                                " — déjà reçu : soldé une seule fois", self._balance_safely,
                                (member_id, overpayment_id, detail, done))

    def _balance_safely(self, member_id: str, overpayment_id: str, detail: dict[str, Any],
                        done: str) -> None:
        try:
            self.balance(member_id, overpayment_id, detail)
        except Exception:
            log.exception("the simulator could not balance %s", overpayment_id)
            with self._lock:
                self._paid.discard(done)
            self._record("from_gestion", "invalid", member_id,
                         f"Trop-perçu {overpayment_id} non soldé : introuvable ou non "
                         "conforme", status="error")

    def balance(self, member_id: str, overpayment_id: str, detail: dict[str, Any]) -> str:
        """The trop-perçu as the portal stored it, sent back balanced on the day she paid."""
        from fhir.resources.R4B.invoice import Invoice

        from domain.fhir import outbound

        item = self.overpayment_lookup(member_id, overpayment_id) \
            if self.overpayment_lookup else None
        if item is None:
            raise LookupError(overpayment_id)
        paid_on = str(detail.get("paid_at") or clock.today().isoformat())[:10]
        version = int(item.get("src_invoice") or 1) + 1
        invoice = outbound.overpayment_invoice(
            member_id, {**item, "gestion_status": "balanced", "balanced_on": paid_on},
            version=version)
        Invoice.model_validate(json.loads(outbound.dumps(invoice)))
        amount = format(int(item["amount_cents"]) / 100, ".2f").replace(".", ",")
        day = date.fromisoformat(paid_on)
        return self.drop([invoice], member_id=member_id,
                         summary=f"Trop-perçu {overpayment_id} soldé ({amount} €, payé le "
                                 f"{day:%d/%m/%Y})", kind="Invoice")

    def _pay_safely(self, member_id: str, detail: dict[str, Any]) -> None:
        try:
            self.pay(member_id, detail)
        except Exception:
            log.exception("the simulator could not pay %s", detail.get("claim_id"))
            with self._lock:
                self._paid.discard(detail.get("claim_id"))
            self._record("from_gestion", "invalid", member_id,
                         f"Paiement de {detail.get('claim_id')} impossible : demande "
                         "non conforme", status="error")

    def pay(self, member_id: str, detail: dict[str, Any]) -> str:
        """The payment of one request: its ExplanationOfBenefit dropped in the inbox."""
        claim = None
        if self.claim_lookup:
            claim = self.claim_lookup(member_id, str(detail["claim_id"]),
                                      str(detail["care_date"]))
        contract_id = (self.contract_lookup(member_id) if self.contract_lookup else None) \
            or "CT1"
        eob = explanation_of_benefit(member_id, detail, paid_on=clock.today(),
                                     brand=self.brand, contract_id=contract_id, claim=claim)
        from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit

        ExplanationOfBenefit.model_validate(json.loads(to_json(eob)))
        amount = eob["payment"]["amount"]["value"]
        return self.drop([eob], member_id=member_id,
                         summary=f"Remboursement {detail['claim_id']} payé "
                                 f"({format(amount, '.2f').replace('.', ',')} €, demande "
                                 f"{detail.get('reference') or detail['request_id']})",
                         kind="ExplanationOfBenefit")

    # ------------------------------------------------------------------ sending
    def drop(self, lines: Iterable[dict[str, Any] | str | bytes], *, name: str | None = None,
             member_id: str | None = None, summary: str | None = None,
             kind: str = "file") -> str:
        """Put a file of resources (dicts, or raw lines as they are) in the inbox; returns
        its key."""
        if not self.bucket:
            raise RuntimeError("no inbox bucket on this stack")
        parts = []
        for line in lines:
            if isinstance(line, dict):
                parts.append(to_json(line).encode())
            else:
                parts.append(line if isinstance(line, bytes) else line.encode())
        body = b"\n".join(parts) + b"\n"
        if name is None:
            name = f"gestion-{clock.now():%Y%m%dT%H%M%S}-{next(self._count)}"
        key = f"inbox/{name}.ndjson"
        # Recorded first: the poller, which records the files it finds, must know it as ours.
        record = self._record(
            "from_gestion", kind, member_id,
            summary or f"Fichier de {len(parts)} ligne{'s' if len(parts) > 1 else ''}",
            status="sent", file=key, lines=len(parts))
        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=body,
                               ContentType="application/x-ndjson")
        except Exception:
            with self._lock:
                record["status"], record["report"] = "error", {}
            raise
        return key

    def discover_files(self) -> None:
        """Record the inbox files others put (the demo seed's, a test's): inbound exchanges
        too."""
        with self._lock:
            known = {r["file"] for r in self._exchanges if r.get("file")}
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                   Prefix="inbox/")
        for page in pages:
            for found in page.get("Contents", []):
                key = found["Key"]
                if key in known or not key.endswith(".ndjson"):
                    continue
                with self._lock:  # a file this simulator is putting may be recorded meanwhile
                    if any(r.get("file") == key for r in self._exchanges):
                        continue
                self._record("from_gestion", "file", None,
                             f"Fichier déposé dans la boîte de dépôt ({found['Size']:,} octets)"
                             .replace(",", "\u202f"), status="sent", file=key,
                             at=iso_paris(found["LastModified"]))

    def collect_reports(self) -> None:
        """Attach to each file sent the ingest's report, once it is written."""
        with self._lock:
            waiting = [r for r in self._exchanges if r.get("file") and r.get("report") is None]
        for record in waiting:
            name = record["file"].removeprefix("inbox/").removesuffix(".ndjson")
            try:
                body = self.s3.get_object(Bucket=self.bucket,
                                          Key=f"reports/{name}.report.json")["Body"].read()
            except self.s3.exceptions.NoSuchKey:  # not written yet
                continue
            try:
                report = json.loads(body)
            except ValueError:
                report = {"unreadable": True}
            with self._lock:
                record["report"] = report
                record["status"] = "rejected" if report.get("rejected") else "applied"

    # ------------------------------------------------------------------ records
    def _record(self, direction: str, kind: str, member_id: str | None, summary: str, *,
                status: str, **more: Any) -> dict[str, Any]:
        record = {"id": next(self._count), "at": iso_paris(clock.now()),
                  "direction": direction, "kind": kind, "member_id": member_id,
                  "summary": summary, "status": status}
        record.update(more)
        if record.get("file"):
            record["report"] = None
        with self._lock:
            self._exchanges.append(record)
            del self._exchanges[:-MAX_EXCHANGES]
        return record

    def exchanges(self) -> list[dict[str, Any]]:
        """Newest first."""
        with self._lock:
            return [dict(r) for r in sorted(self._exchanges, key=lambda r: (r["at"], r["id"]),
                                            reverse=True)]


# ---------------------------------------------------------------------- the local stack
def start(stack: Any) -> Simulator:
    """The simulator of a local stack, on its queue and inbox bucket (idle while the template
    has no inbox)."""
    import boto3

    from infra.local import bootstrap, template

    names = stack.resources.names
    session = boto3.session.Session(region_name=bootstrap.REGION)
    dynamodb = session.client("dynamodb", endpoint_url=stack.moto_url)
    table = names.get("Table")

    def stored(member_id: str, sk: str) -> dict[str, Any] | None:
        from boto3.dynamodb.types import TypeDeserializer

        item = dynamodb.get_item(TableName=table, Key={
            "pk": {"S": f"MEMBER#{member_id}"}, "sk": {"S": sk}}).get("Item")
        if not item:
            return None
        plain = {k: TypeDeserializer().deserialize(v) for k, v in item.items()}
        return json.loads(json.dumps(plain, default=lambda d: int(d) if d == int(d)
                                     else float(d)))

    def claim_lookup(member_id: str, claim_id: str, care_date: str) -> dict[str, Any] | None:
        return stored(member_id, f"CLAIM#{care_date}#{claim_id}")

    def overpayment_lookup(member_id: str, overpayment_id: str) -> dict[str, Any] | None:
        return stored(member_id, f"OVERPAY#{overpayment_id}")

    def contract_lookup(member_id: str) -> str | None:
        items = dynamodb.query(
            TableName=table, KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
            ExpressionAttributeValues={":pk": {"S": f"MEMBER#{member_id}"},
                                       ":sk": {"S": "FILE#CONTRACT#"}}).get("Items", [])
        return items[0]["sk"]["S"].removeprefix("FILE#CONTRACT#") if items else None

    return Simulator(
        session.client("sqs", endpoint_url=stack.moto_url),
        session.client("s3", endpoint_url=stack.moto_url),
        names.get("GestionQueue"), names.get("InboxBucket"),
        brand=template.parameter_default("BrandName") or "Votre mutuelle",
        claim_lookup=claim_lookup if table else None,
        contract_lookup=contract_lookup if table else None,
        overpayment_lookup=overpayment_lookup if table else None).start()


# ---------------------------------------------------------------------- the page
DIRECTIONS = {"to_gestion": "Portail → gestion", "from_gestion": "Gestion → portail"}
STATUSES = {"received": "Reçu", "rejected": "Refusé", "duplicate": "Doublon ignoré",
            "error": "Erreur", "sent": "Déposé, en attente du rapport",
            "applied": "Intégré"}


def _report_text(report: dict[str, Any] | None) -> str:
    if not report:
        return ""
    parts = [f"{report.get(k, 0)} {label}" for k, label in (
        ("applied", "intégrée(s)"), ("unchanged", "inchangée(s)"),
        ("outdated", "périmée(s)"), ("pending", "en attente"))]
    rejected = report.get("rejected") or []
    parts.append(f"{len(rejected)} refusée(s)")
    details = "".join(f"<li>Ligne {escape(str(r.get('line')))} : {escape(str(r.get('reason')))}"
                      "</li>" for r in rejected[:20])
    return (f"<p>Rapport : {escape(', '.join(parts))}.</p>"
            + (f"<ul>{details}</ul>" if details else ""))


def page(brand: str, exchanges: list[dict[str, Any]]) -> str:
    rows = "\n".join(f"""<tr>
  <td><time datetime="{escape(e['at'])}">{escape(e['at'][:19].replace('T', ' '))}</time></td>
  <td>{escape(DIRECTIONS.get(e['direction'], e['direction']))}</td>
  <td><code>{escape(str(e['kind']))}</code></td>
  <td>{escape(e.get('member_id') or '—')}</td>
  <td>{escape(e['summary'])}{
      f"<br><code>{escape(e['file'])}</code>" if e.get('file') else ''}{
      _report_text(e.get('report'))}</td>
  <td>{escape(STATUSES.get(e['status'], e['status']))}</td>
</tr>""" for e in exchanges)
    count = len(exchanges)
    summary = ("Aucun échange pour l’instant." if not count else
               f"{count} échange{'s' if count > 1 else ''}, du plus récent au plus ancien.")
    table = "" if not count else f"""<table>
<caption class="visually-hidden">Échanges entre le portail et la gestion</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Sens</th><th scope="col">Type</th>
<th scope="col">Adhérent</th><th scope="col">Contenu</th><th scope="col">État</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>"""
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Échanges avec la gestion – pile locale – {escape(brand)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem;
       color: #1a1a1a; line-height: 1.5; }}
.note {{ background: #fff4d6; border-left: 4px solid #8a6100; padding: .5rem 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #c9c9c9; padding: .4rem; text-align: left;
          vertical-align: top; }}
code {{ overflow-wrap: anywhere; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
                    clip: rect(0 0 0 0); white-space: nowrap; }}
</style>
</head>
<body>
<main>
<h1>Échanges avec la gestion</h1>
<p class="note">Page de la pile locale uniquement : un simulateur tient le rôle du système de
gestion de la mutuelle. Il reçoit les événements du portail, paie les demandes de
remboursement acceptées et solde les trop-perçus remboursés par carte, en déposant un fichier
dans la boîte de dépôt du portail.</p>
<p id="exchange-count">{summary}</p>
{table}
</main>
</body>
</html>
"""

