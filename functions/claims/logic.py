"""Rules of « Mes remboursements »: listing and reading décomptes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from claims import repository
from claims.models import (
    STATUS_LABELS,
    ActOut,
    ActPage,
    BeneficiaryCounters,
    CapCounter,
    CareIn,
    ClaimDetail,
    ClaimItem,
    ClaimPage,
    ClaimSummary,
    CountersPage,
    ForfaitCounter,
    ReimbursementRequestItem,
)
from members import repository as members_repository
from members.models import BeneficiaryItem
from shared.dates import today_paris
from shared.errors import BadRequest, NotFound, Unprocessable
from shared.identity import Caller

DEFAULT_HISTORY_DAYS = 366 * 3


def summary(claim: ClaimItem) -> ClaimSummary:
    return ClaimSummary(**claim.model_dump(include=set(ClaimSummary.model_fields)),
                        status_label=STATUS_LABELS[claim.status])


def list_claims(caller: Caller, *, date_from: date | None, date_to: date | None,
                beneficiary_id: str | None, cursor: str | None, limit: int) -> ClaimPage:
    today = today_paris()
    date_to = date_to or today
    date_from = date_from or (date_to - timedelta(days=DEFAULT_HISTORY_DAYS))
    if date_from > date_to:
        raise BadRequest("La date de début doit précéder la date de fin.",
                         code="invalid_period", fields={"from": "après la date de fin"})
    items, nxt = repository.list_claims(caller.member_pk, date_from=date_from, date_to=date_to,
                                        beneficiary_id=beneficiary_id, cursor=cursor,
                                        limit=limit)
    return ClaimPage(items=[summary(c) for c in items], next=nxt)


def get_claim(caller: Caller, claim_id: str) -> ClaimDetail:
    claim = repository.get_claim(caller.member_pk, claim_id)
    if claim is None:
        raise NotFound("Ce remboursement est introuvable.")
    return ClaimDetail(**claim.model_dump(include=set(ClaimDetail.model_fields)),
                       status_label=STATUS_LABELS[claim.status])


# ----------------------------------------------------------------------------- context
@dataclass(frozen=True)
class MemberContext:
    member_id: str
    member_name: str
    formula_id: str
    beneficiaries: dict[str, BeneficiaryItem]

    def beneficiary(self, beneficiary_id: str, field: str = "beneficiary_id") -> BeneficiaryItem:
        found = self.beneficiaries.get(beneficiary_id)
        if found is None:
            raise Unprocessable("Ce bénéficiaire ne figure pas sur votre contrat. Choisissez "
                                "une personne de la liste.", code="unknown_beneficiary",
                                fields={field: "bénéficiaire inconnu"})
        return found


def member_context(caller: Caller) -> MemberContext:
    pk = caller.member_pk
    profile = members_repository.get_profile(pk)
    today = today_paris()
    contracts = [c for c in members_repository.list_contracts(pk)
                 if c.start_date <= today and (c.end_date is None or c.end_date >= today)]
    if profile is None or not contracts:
        raise NotFound("Aucun contrat en cours n'a été trouvé pour votre compte.")
    contract = max(contracts, key=lambda c: c.start_date)
    return MemberContext(
        member_id=profile.member_id,
        member_name=f"{profile.first_name} {profile.last_name}",
        formula_id=contract.formula_id,
        beneficiaries={b.id: b for b in members_repository.list_beneficiaries(pk)},
    )


def beneficiary_name(b: BeneficiaryItem) -> str:
    return f"{b.first_name} {b.last_name}"


def engine_facts(b: BeneficiaryItem):
    from claims.engine import BeneficiaryFacts

    return BeneficiaryFacts(id=b.id, birth_date=b.birth_date)


def history_for(member_pk: str, beneficiary_id: str, on: date):
    """What the beneficiary already consumed: this year's caps and forfaits, and the last
    glasses or hearing aids (renewal periods reach back up to four years)."""
    from claims.reimburse import history_from_claims

    past = repository.claims_of_beneficiary(member_pk, beneficiary_id,
                                            date(on.year - 4, 1, 1), on)
    return history_from_claims(past, beneficiary_id, on)


def care_input(care: CareIn | ReimbursementRequestItem, price_cents: int,
               practitioner_id: str | None = None):
    """The engine's view of a care the member described."""
    from claims.engine import CareInput

    return CareInput(act_code=care.act_code, care_date=care.care_date, price_cents=price_cents,
                     quantity=care.quantity, sector=care.practitioner.sector,
                     optam=care.practitioner.optam, care_pathway=care.care_pathway,
                     practitioner_id=practitioner_id)


def engine_error(exc: Exception, field_map: dict[str, str] | None = None) -> Unprocessable:
    """The engine's French message, with the field the member should fix."""
    field = (field_map or {}).get(getattr(exc, "field", "") or "", None)
    message = getattr(exc, "message", None) or str(exc)
    code = getattr(exc, "code", "invalid_care")
    return Unprocessable(message, code=str(code), fields={field: message} if field else None)


def search_acts(query: str, on: date | None) -> ActPage:
    from claims.engine import search_acts as engine_search

    acts = engine_search(query, on=on or today_paris())
    return ActPage(items=[ActOut(id=a.code, code=a.code, label=a.label, category=a.category,
                                 category_label=a.category_label, needs_sector=a.needs_sector)
                          for a in acts[:30]])


# ----------------------------------------------------------------------------- counters
def counters(caller: Caller, year: int | None) -> CountersPage:
    from claims.engine import counters as engine_counters

    ctx = member_context(caller)
    today = today_paris()
    year = year or today.year
    if not 2000 <= year <= today.year:
        raise BadRequest(f"L'année doit être comprise entre 2000 et {today.year}.",
                         code="invalid_year", fields={"year": "année hors limites"})
    on = today if year == today.year else date(year, 12, 31)
    items = []
    for b in ctx.beneficiaries.values():
        history = history_for(caller.member_pk, b.id, on)
        c = engine_counters(history, engine_facts(b), ctx.formula_id, year)
        items.append(BeneficiaryCounters(
            id=b.id, beneficiary_name=beneficiary_name(b), year=year,
            participation=CapCounter(paid_cents=c.participation_paid_cents,
                                     cap_cents=c.participation_cap_cents),
            franchises=CapCounter(paid_cents=c.franchise_paid_cents,
                                  cap_cents=c.franchise_cap_cents),
            forfaits=[ForfaitCounter(key=f.key, label=f.label, used_cents=f.used_cents,
                                     limit_cents=f.limit_cents, left_cents=f.left_cents,
                                     period_label=f.period_label) for f in c.forfaits],
            optics_next_date=c.optics_next_date, hearing_next_date=c.hearing_next_date))
    return CountersPage(items=items)
