"""« Résilier mon contrat »: what she may terminate, for which reason, from when; then the
request itself, filed for the advisors and told to the management system, with its
acknowledgement (a letter in « Mes documents » and an email).

The rules are data (contract/data/termination_rules.json), each with its source and whether
our reading of it is confirmed. `effective_on` is the contract's last covered day, the date
the management system writes as the Coverage's period.end. « Today » is the date in Paris
(shared.clock): a request sent at 23:50 on 31 December is received on 31 December.

One pending termination per contract: the item FILE#TERMINATION#<contract id> (read with her
file, no extra call) names the request; a refused request frees it for a new one."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from contract.models import (
    DispenseCase,
    PendingTermination,
    TerminationCreated,
    TerminationIn,
    TerminationOut,
    TerminationReasonOut,
)
from domain import events
from domain.membership import Contract, MemberContext, load_file, member_context
from domain.requests import STATUS_LABELS, RequestItem, submit
from shared.dates import add_days, add_months, fr_date_long
from shared.errors import Conflict, Forbidden, Unprocessable
from shared.identity import Caller
from shared.observability import count

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "termination_rules.json"
MARKER_PREFIX = "FILE#TERMINATION#"


@cache
def rules() -> dict[str, Any]:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


def rule(code: str) -> dict[str, Any]:
    return next(r for r in rules()["reasons"] if r["code"] == code)


# ----------------------------------------------------------------------------- dates
def effective_on(code: str, received_on: date, event_date: date | None = None) -> date:
    """The contract's last covered day when the mutuelle receives the request on
    `received_on` (Paris). One month after 31 January is the last day of February."""
    effect = rule(code)["effect"]
    kind = effect["kind"]
    if kind == "months_after_notification":
        return add_months(received_on, effect["months"])
    if kind == "event_date":
        assert event_date is not None
        return event_date
    if kind == "event_or_next_day":
        assert event_date is not None
        return max(event_date, add_days(received_on, 1))
    if kind == "annual_deadline":
        # Notice at least `notice_months` before the yearly due date, else the next one.
        due = date(received_on.year, effect["month"], effect["day"])
        if received_on > add_months(due, -effect["notice_months"]):
            due = date(received_on.year + 1, effect["month"], effect["day"])
        return due
    raise ValueError(f"unknown effect {kind}")


def first_year_ends(contract: Contract) -> date:
    """The day infra-annual termination opens: one year after she joined."""
    return add_months(contract.start_date, 12)


def event_window(code: str, today: date) -> tuple[date, date] | None:
    event = rule(code).get("event")
    if not event:
        return None
    return (add_months(today, -event["within_months"]),
            add_days(today, event.get("future_days", 0)))


def reason_out(code: str, contract: Contract, today: date) -> TerminationReasonOut:
    r = rule(code)
    window = event_window(code, today)
    available, why_not = True, None
    if code == "infra_annual" and today < first_year_ends(contract):
        available = False
        why_not = (f"Ce motif s'ouvre après un an d'adhésion, le "
                   f"{fr_date_long(first_year_ends(contract))}. D'ici là, choisissez un autre "
                   "motif s'il s'applique à vous.")
    return TerminationReasonOut(
        code=code, label=r["label"], available=available, why_not=why_not,
        needs_document=r["needs_document"], document_hint=r.get("document_hint"),
        needs_event_date=window is not None,
        event_label=r["event"]["label"] if window else None,
        event_min=window[0] if window else None, event_max=window[1] if window else None,
        effective_on=effective_on(code, today) if window is None else None,
        rule=r["rule"], source=r["source"], confirmed=r["confirmed"])


def effects(code: str, effective: date) -> list[str]:
    """What the termination changes, said to her (acknowledgement, email, page)."""
    from domain.access import readable_until

    until = fr_date_long(effective)
    if code == "death":
        return [f"Le contrat prend fin le {until}, jour du décès. Les cotisations cessent à "
                "cette date ; une part de cotisation payée pour la suite est remboursée.",
                "Les autres bénéficiaires du contrat peuvent demander à rester couverts en "
                "adhérant à leur nom : un conseiller vous expliquera comment."]
    return [f"Jusqu'au {until} inclus, rien ne change : vos garanties, votre carte de tiers "
            "payant et vos remboursements restent les mêmes, pour vous et vos bénéficiaires, "
            "et vos cotisations restent dues jusqu'à cette date.",
            "Après cette date, les soins ne sont plus remboursés par la mutuelle et votre "
            "carte de tiers payant n'est plus valable. Une part de cotisation payée pour la "
            "période qui suit vous est remboursée dans les 30 jours.",
            "Vous gardez l'accès à vos documents et à vos relevés de prestations en ligne "
            f"jusqu'au {fr_date_long(readable_until(effective))}."]


# ----------------------------------------------------------------------------- state
def marker_sk(contract_id: str) -> str:
    return f"{MARKER_PREFIX}{contract_id}"


def _marker(member_id: str, contract_id: str) -> dict | None:
    return next((i for i in load_file(member_id) if i.get("sk") == marker_sk(contract_id)),
                None)


def pending(ctx: MemberContext, contract: Contract) -> tuple[PendingTermination | None,
                                                             dict | None]:
    """The termination asked for this contract and not refused (with its marker), or None
    (and the marker of a refused one, which a new request replaces)."""
    from domain import requests

    marker = _marker(ctx.member_id, contract.id)
    if marker is None:
        return None, None
    request = requests.get(ctx.member_id, marker["request_id"])
    if request is None or request.status == "refused":
        return None, marker
    return PendingTermination(
        id=request.id, reference=request.reference, reason=marker["reason"],
        reason_label=rule(marker["reason"])["label"], requested_on=marker["requested_on"],
        effective_on=marker["effective_on"], status=request.status,
        status_label=STATUS_LABELS[request.status],
        document_id=marker.get("document_id")), marker


def collective_refusal(contract: Contract) -> str:
    employer = contract.employer or "votre employeur"
    return (f"Votre contrat est un contrat collectif obligatoire, souscrit par {employer} pour "
            "ses salariés : vous ne pouvez pas le résilier vous-même. Tant que vous êtes "
            "salarié, l'adhésion est obligatoire ; elle prend fin avec votre contrat de "
            "travail (la portabilité peut alors prolonger votre couverture). Dans certains "
            "cas, vous pouvez demander à votre employeur une dispense d'affiliation.")


def view(caller: Caller) -> TerminationOut:
    ctx = member_context(caller.member)
    contract = ctx.active_contract()
    today = ctx.on
    data = rules()
    asked, _ = pending(ctx, contract)
    why_not = None
    if contract.collective:
        why_not = collective_refusal(contract)
    elif contract.end_date:
        why_not = (f"Votre contrat prend déjà fin le {fr_date_long(contract.end_date)} : il "
                   "n'y a rien à résilier.")
    elif asked:
        why_not = (f"Vous avez demandé la résiliation de ce contrat le "
                   f"{fr_date_long(asked.requested_on)} (demande n° {asked.reference}) : elle "
                   f"prend effet le {fr_date_long(asked.effective_on)}.")
    reasons = [] if contract.collective else [
        reason_out(r["code"], contract, today) for r in data["reasons"]]
    return TerminationOut(
        collective=contract.collective, employer=contract.employer,
        contract_number=contract.number, start_date=contract.start_date,
        end_date=contract.end_date, today=today, pending=asked, can_request=why_not is None,
        why_not=why_not, reasons=reasons,
        dispense=[DispenseCase(**d) for d in data["dispense"]] if contract.collective else [],
        online_rule=data["online"]["rule"], online_source=data["online"]["source"])


# ----------------------------------------------------------------------------- request
def _checked(data: TerminationIn, contract: Contract, today: date) -> date:
    """The effective date, once everything she sent holds (else 422, nothing stored)."""
    r = rule(data.reason)
    option = reason_out(data.reason, contract, today)
    if not option.available:
        raise Unprocessable(option.why_not or "Ce motif n'est pas possible.",
                            code="reason_unavailable", fields={"reason": "motif indisponible"})
    window = event_window(data.reason, today)
    event_date = None
    if window:
        label = r["event"]["label"].lower()
        if data.event_date is None:
            raise Unprocessable(f"Indiquez la {label}.", code="event_date_missing",
                                fields={"event_date": "date manquante"})
        if not window[0] <= data.event_date <= window[1]:
            raise Unprocessable(
                f"La {label} doit être comprise entre le {fr_date_long(window[0])} et le "
                f"{fr_date_long(window[1])} pour ce motif. {r['rule']}",
                code="event_date_out_of_window", fields={"event_date": "hors délai"})
        event_date = data.event_date
    if r["needs_document"] and not data.upload_ids:
        raise Unprocessable(f"Joignez le justificatif demandé pour ce motif : "
                            f"{r['document_hint']}", code="documents_missing",
                            fields={"upload_ids": "justificatif"})
    return effective_on(data.reason, today, event_date)


def subject(label: str) -> str:
    """« Résiliation : changement de situation », as the advisors' queue lists it."""
    if label.startswith("Résiliation"):
        return label
    return f"Résiliation : {label[0].lower()}{label[1:]}"


ALREADY = ("Une demande de résiliation de ce contrat est déjà en cours (demande n° {ref}, "
           "prenant effet le {on}) : vous n'avez rien d'autre à faire. Suivez-la dans « Mes "
           "demandes ».")


def refuse_collective(caller: Caller) -> None:
    """403 with the explanation for a collective contract (her file is read once for the
    whole invocation)."""
    contract = member_context(caller.member).active_contract()
    if contract.collective:
        raise Forbidden(collective_refusal(contract), code="collective_contract")


def request(caller: Caller, data: TerminationIn, key: str | None) -> TerminationCreated:
    from contract.logic.termination_letter import Letter, render
    from domain import repository
    from domain.documents import document_for, put_operation, remove_quietly
    from shared import clock
    from shared.settings import get_settings

    ctx = member_context(caller.member)
    contract = ctx.active_contract()
    if contract.collective:
        raise Forbidden(collective_refusal(contract), code="collective_contract")
    if contract.end_date:
        raise Conflict(f"Votre contrat prend déjà fin le {fr_date_long(contract.end_date)} : "
                       "il n'y a rien à résilier.", code="contract_ending")
    asked, marker = pending(ctx, contract)
    if asked:
        raise Conflict(ALREADY.format(ref=asked.reference,
                                      on=fr_date_long(asked.effective_on)),
                       code="termination_pending")
    now = clock.now()
    today = ctx.on
    effective = _checked(data, contract, today)
    r = rule(data.reason)
    said = effects(data.reason, effective)
    settings = get_settings()
    document = document_for(ctx.member_id, kind="letter",
                            title="Accusé de réception de votre demande de résiliation",
                            at=now)
    payload = {"reason": data.reason, "reason_label": r["label"],
               "event_date": data.event_date.isoformat() if data.event_date else None,
               "requested_on": today.isoformat(), "effective_on": effective.isoformat(),
               "contract_id": contract.id, "contract_number": contract.number,
               "source": r["source"], "effects": said, "document_id": document.id}
    put: list[str] = []

    def also(request: RequestItem) -> list[dict]:
        pdf = render(Letter(
            brand_name=settings.brand_name, brand_address=settings.brand_address,
            member_name=ctx.member_name, member_number=ctx.member_id,
            contract_number=contract.number, formula_label=contract.formula_label,
            reference=request.reference, received_at=now, reason_label=r["label"],
            event_date=data.event_date, effective_on=effective, rule=r["rule"],
            source=r["source"], effects=tuple(said)))
        done = document.model_copy(update={"size": len(pdf), "source": request.reference})
        repository.put_file(done.s3_key, pdf, done.content_type)
        put.append(done.s3_key)
        state = {"pk": ctx.member_pk, "sk": marker_sk(contract.id), "type": "termination",
                 "contract_id": contract.id, "request_id": request.id,
                 "reference": request.reference, "reason": data.reason,
                 "requested_on": today.isoformat(), "effective_on": effective.isoformat(),
                 "document_id": done.id}
        return [put_operation(ctx.member_id, done),
                {"replace": state, "expect": {"request_id": marker["request_id"]}}
                if marker else {"put": state},
                events.ContractTerminationRequested(
                    request_id=request.id, reference=request.reference,
                    contract_id=contract.id, contract_number=contract.number,
                    reason=data.reason, event_date=data.event_date,
                    received_at=request.created_at, effective_on=effective,
                    document_count=len(data.upload_ids)).operation(ctx.member_id)]

    try:
        filed = submit(ctx, kind="termination", key=key, upload_ids=data.upload_ids,
                       subject=subject(r["label"]), message=data.message,
                       payload=payload, also=also)
    except Conflict:
        for key_put in put:
            remove_quietly(key_put)
        raise Conflict("Une demande de résiliation de ce contrat vient d'être envoyée : "
                       "rechargez la page pour la voir.", code="termination_pending") from None
    except Exception:
        for key_put in put:
            remove_quietly(key_put)
        raise
    if put and filed.payload.get("document_id") != document.id:
        remove_quietly(put[0])  # an earlier request answered this key: its letter stands
    count("TerminationRequested")
    p = filed.payload
    return TerminationCreated(id=filed.id, reference=filed.reference, reason=p["reason"],
                              requested_on=p["requested_on"], effective_on=p["effective_on"],
                              document_id=p["document_id"], effects=p["effects"])
