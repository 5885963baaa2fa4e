"""« Mes remboursements »: listing and reading décomptes, the acts catalogue, and the yearly
counters (caps, forfaits, next equipment dates) per beneficiary."""

from __future__ import annotations

from datetime import date, timedelta

from claims import repository
from claims.logic import estimates
from claims.models import (
    STATUS_LABELS,
    ActOut,
    BeneficiaryCounters,
    CapCounter,
    ClaimDetail,
    ClaimItem,
    ClaimSummary,
    DisputeOut,
    EstimateComparison,
)
from domain.membership import member_context
from domain.reimbursement import consumptions, history_start
from shared import clock
from shared.dates import fr_date
from shared.errors import BadRequest, NotFound
from shared.http import Page
from shared.identity import Caller

DEFAULT_HISTORY_DAYS = 366 * 3
FIRST_YEAR = 2000
MAX_ACTS = 30


# Why the Assurance Maladie pays the whole base, most telling first (engine situation codes).
FULL_COVER = (("maternity", "maternité"), ("work_accident", "accident du travail"),
              ("ald", "affection de longue durée"),
              ("c2s", "Complémentaire santé solidaire"))


def payer_note(claim: ClaimItem) -> str | None:
    """Who paid a care the mutuelle paid nothing for; None when it paid its part."""
    if claim.mutual_cents or claim.status != "paid":
        return None
    if claim.base_cents and claim.social_security_cents + claim.deductibles_cents \
            >= claim.base_cents:
        why = next((label for code, label in FULL_COVER if code in claim.situations), None)
        return "Pris en charge à 100\u00a0% par l'Assurance Maladie" + (f" ({why})" if why else "")
    return "Remboursé par l'Assurance Maladie seule, sans part de la mutuelle"


def summary(claim: ClaimItem, new: bool = False) -> ClaimSummary:
    return ClaimSummary(
        id=claim.id, care_date=claim.care_date, beneficiary_id=claim.beneficiary_id,
        beneficiary_name=claim.beneficiary_name, act_code=claim.act_code,
        act_label=claim.act_label, category=claim.category,
        category_label=claim.category_label, real_cost_cents=claim.real_cost_cents,
        social_security_cents=claim.social_security_cents, mutual_cents=claim.mutual_cents,
        out_of_pocket_cents=claim.out_of_pocket_cents, status=claim.status,
        status_label=STATUS_LABELS[claim.status], payment_date=claim.payment_date,
        payer_note=payer_note(claim), new=new)


def detail(claim: ClaimItem, *, new: bool = False, dispute: DisputeOut | None = None,
           estimate: EstimateComparison | None = None) -> ClaimDetail:
    return ClaimDetail(
        **summary(claim, new).model_dump(), quantity=claim.quantity,
        practitioner=claim.practitioner, care_pathway=claim.care_pathway,
        base_cents=claim.base_cents, deductibles_cents=claim.deductibles_cents,
        lines=claim.lines, situations=claim.situations,
        # Nothing was transferred when the mutuelle paid nothing: no account to show.
        bank_account_masked=claim.bank_account_masked if claim.mutual_cents else None,
        can_dispute=disputable(claim), dispute=dispute, estimate=estimate)


def disputable(claim: ClaimItem) -> bool:
    """A payment she may say she does not recognise: money the mutuelle transferred."""
    return claim.status == "paid" and claim.mutual_cents > 0


def list_claims(caller: Caller, *, date_from: date | None, date_to: date | None,
                beneficiary_id: str | None, cursor: str | None,
                limit: int) -> Page[ClaimSummary]:
    today = clock.today()
    date_to = date_to or today
    date_from = date_from or (date_to - timedelta(days=DEFAULT_HISTORY_DAYS))
    if date_from > date_to:
        raise BadRequest("La date de début doit précéder la date de fin.",
                         code="invalid_period", fields={"from": "après la date de fin"})
    items, nxt = repository.list_claims(caller.member_pk, date_from=date_from, date_to=date_to,
                                        beneficiary_id=beneficiary_id, cursor=cursor,
                                        limit=limit)
    unseen = {n["claim_id"] for n in repository.unseen_notices(caller.member_pk)}
    return Page[ClaimSummary](items=[summary(c, c.id in unseen) for c in items], next=nxt)


def get_claim(caller: Caller, claim_id: str) -> ClaimDetail:
    claim, notice, dispute = repository.claim_with_marks(caller.member_pk, claim_id)
    if claim is None:
        raise NotFound("Ce remboursement est introuvable.")
    report = None
    if dispute:
        report = DisputeOut(id=dispute["request_id"], reference=dispute["reference"],
                            created_at=dispute["created_at"])
    return detail(claim, new=notice is not None, dispute=report,
                  estimate=estimates.compared_with(caller, claim))


def search_acts(query: str, on: date | None) -> Page[ActOut]:
    from engine import search_acts as engine_search

    acts = engine_search(query, on=on or clock.today())
    return Page[ActOut](items=[
        ActOut(id=a.code, code=a.code, label=a.label, category=a.category,
               category_label=a.category_label, needs_sector=a.needs_sector)
        for a in acts[:MAX_ACTS]])


def counters(caller: Caller, year: int | None) -> Page[BeneficiaryCounters]:
    from engine import BeneficiaryFacts, History
    from engine import counters as engine_counters

    today = clock.today()
    year = year or today.year
    if not FIRST_YEAR <= year <= today.year:
        raise BadRequest(f"L'année doit être comprise entre {FIRST_YEAR} et {today.year}.",
                         code="invalid_year", fields={"year": "année hors limites"})
    on = today if year == today.year else date(year, 12, 31)
    ctx = member_context(caller.member, on)
    if ctx.contract is None:
        raise NotFound(f"Vous n'aviez pas de contrat en cours le {fr_date(on)}.",
                       code="no_contract")
    formula_id = ctx.contract.formula_id
    family = repository.claims_between(caller.member_pk, history_start(on), on)  # one Query
    items = []
    for b in ctx.beneficiaries.values():
        c = engine_counters(History.from_stored(consumptions(family, b.id), b.id, on),
                            BeneficiaryFacts.of(b), formula_id, year)
        items.append(BeneficiaryCounters(
            id=b.id, beneficiary_name=b.name, year=year,
            participation=CapCounter(paid_cents=c.participation_paid_cents,
                                     cap_cents=c.participation_cap_cents),
            franchises=CapCounter(paid_cents=c.franchise_paid_cents,
                                  cap_cents=c.franchise_cap_cents),
            forfaits=c.forfaits, optics_next_date=c.optics_next_date,
            hearing_next_date=c.hearing_next_date))
    return Page[BeneficiaryCounters](items=items)
