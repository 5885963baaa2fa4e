"""What accepting a request does, per kind: transaction operations written together with the
status change (exactly once: a second acceptance finds the request changed, 409), and what
the request records of it. Each effect the management system must know carries its event
(domain.events) in the same transaction: the outbox relays it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain import audit, events
from domain.membership import (
    Beneficiary,
    MemberContext,
    beneficiary_item,
    beneficiary_sk,
    contract_sk,
)
from domain.reimbursement import CareFacts, Practitioner, claim_to_item, past_consumptions
from domain.requests import RequestItem
from domain.situation import Situation
from shared.iban import mask_iban

Effect = Callable[[RequestItem, MemberContext], tuple[list[dict], dict[str, Any]]]


def claim_for(request: RequestItem, ctx: MemberContext):
    """The reimbursement the engine computes for the care the member described, on the
    beneficiary's history today: shown to the advisor before accepting, and, once accepted,
    « en cours » in her reimbursements until the management system pays it."""
    from engine import BeneficiaryFacts, CareInput, History
    from support.logic.reimburse import build_claim

    care = CareFacts.model_validate(request.payload["care"])
    benef = ctx.beneficiary(care.beneficiary_id)
    iban = benef.benefit_iban
    return build_claim(
        claim_id=f"C{care.care_date:%Y%m%d}-{request.id[-8:]}",
        care=CareInput.of(care, request.payload["amount_cents"]),
        beneficiary=BeneficiaryFacts.of(benef), beneficiary_name=benef.name,
        formula_id=ctx.active_contract().formula_id,
        history=History.from_stored(
            past_consumptions(ctx.member_pk, benef.id, care.care_date), benef.id,
            care.care_date),
        practitioner=Practitioner(sector=care.practitioner.sector,
                                  optam=care.practitioner.optam),
        status="processing", payment_date=None,
        bank_account_masked=mask_iban(iban) if iban else None, request_id=request.id)


def reimbursement(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    """Sent for payment: the claim waits « en cours », the management system pays it."""
    claim = claim_for(request, ctx)
    care = CareFacts.model_validate(request.payload["care"])
    event = events.ReimbursementPaymentRequested(
        request_id=request.id, reference=request.reference, claim_id=claim.id,
        beneficiary_id=claim.beneficiary_id, care_date=claim.care_date,
        act_code=claim.act_code, quantity=claim.quantity,
        price_cents=request.payload["amount_cents"],
        mutual_cents_estimated=claim.mutual_cents,
        practitioner=events.Practitioner(sector=care.practitioner.sector,
                                         optam=care.practitioner.optam))
    return [{"put": claim_to_item(ctx.member_pk, claim)}, event.operation(ctx.member_id)], \
        {"claim_id": claim.id}


def nothing(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    return [], {}


def beneficiary_add(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    """The new beneficiary on the contract: on her card and in the estimate form at once."""
    p = request.payload
    number = max((int(b.id[1:]) for b in ctx.beneficiaries.values() if b.id[1:].isdigit()),
                 default=0) + 1
    rank = max((int(b.rank) for b in ctx.beneficiaries.values() if b.rank.isdigit()),
               default=0) + 1
    beneficiary = Beneficiary(
        id=f"B{number:02d}", first_name=p["first_name"], last_name=p["last_name"],
        birth_date=p["birth_date"], rank=f"{rank:02d}", relationship=p["relationship"],
        nir=p.get("nir"), situation=Situation(regime=p.get("regime", "general")))
    event = events.BeneficiaryAdded(
        request_id=request.id, beneficiary_id=beneficiary.id,
        first_name=beneficiary.first_name, last_name=beneficiary.last_name,
        birth_date=beneficiary.birth_date, relationship=beneficiary.relationship,
        nir=beneficiary.nir)
    return [{"put": beneficiary_item(ctx.member_pk, beneficiary)},
            event.operation(ctx.member_id)], {"beneficiary_id": beneficiary.id}


def bank_details(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    """The new account replaces the old one, for the contributions or a beneficiary's
    reimbursements."""
    p = request.payload
    if p["target"] == "contribution":
        contract = ctx.active_contract()
        op = {"update": {"key": {"pk": ctx.member_pk, "sk": contract_sk(contract.id)},
                         "set": {"contribution_iban": p["iban"],
                                 "contribution_holder": p["holder"]},
                         "condition": ("id", contract.id)}}
    else:
        benef = ctx.beneficiary(p["beneficiary_id"])
        op = {"update": {"key": {"pk": ctx.member_pk, "sk": beneficiary_sk(benef.id)},
                         "set": {"benefit_iban": p["iban"], "benefit_holder": p["holder"]},
                         "condition": ("id", benef.id)}}
    event = events.BankDetailsReplaced(
        request_id=request.id, target=p["target"],
        beneficiary_id=p.get("beneficiary_id") if p["target"] == "benefit" else None,
        iban=p["iban"], holder=p["holder"])
    return [op, audit.entry(ctx.member_id, who="mutuelle", role="system",
                            action="bank_details_changed", target=request.reference,
                            detail=p["masked"]), event.operation(ctx.member_id)], \
        {"account": p["masked"]}


def portability(request: RequestItem, ctx: MemberContext) -> tuple[list[dict], dict]:
    p = request.payload
    contract = ctx.active_contract()
    period = {"start": p["employment_end"], "end": p["until"]}
    return [{"update": {"key": {"pk": ctx.member_pk, "sk": contract_sk(contract.id)},
                        "set": {"portability": period}, "condition": ("id", contract.id)}},
            events.PortabilityAccepted(request_id=request.id, **period)
            .operation(ctx.member_id)], {"portability_until": p["until"]}


EFFECTS: dict[str, Effect] = {"reimbursement": reimbursement, "other": nothing,
                              "beneficiary_add": beneficiary_add,
                              "bank_details": bank_details, "portability": portability,
                              "payment_dispute": nothing,
                              # The management system ends the cover (the Coverage's end).
                              "termination": nothing,
                              # Trop-perçus: the management system acts on the events.
                              "overpayment_instalments": nothing,
                              "overpayment_contest": nothing}
