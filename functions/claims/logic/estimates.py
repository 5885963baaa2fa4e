"""« Demander une estimation »: a personal estimate, saved, later set beside the payment."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from claims import repository
from claims.models import (
    ActualPayment,
    ClaimItem,
    ComparedLine,
    EstimateComparison,
    EstimateIn,
    EstimateItem,
    EstimateOut,
    PublicEstimateIn,
    PublicEstimateOut,
    Totals,
)
from domain.membership import member_context
from domain.reimbursement import past_consumptions
from shared import idempotency
from shared.dates import PARIS
from shared.errors import BadRequest, Conflict, NotFound
from shared.http import Page
from shared.identity import Caller
from shared.ids import new_id
from shared.money import format_eur
from shared.observability import count

# A reimbursement matches an estimate when it is the same care, done around the planned date
# and not before the estimate was made.
MATCH_BEFORE = timedelta(days=30)
MATCH_AFTER = timedelta(days=120)


def create_estimate(caller: Caller, data: EstimateIn, key: str | None = None) -> EstimateOut:
    from engine import BeneficiaryFacts, CareInput, History, compute

    ctx = member_context(caller.member)
    benef = ctx.beneficiary(data.beneficiary_id)
    history = History.from_stored(
        past_consumptions(caller.member_pk, benef.id, data.care_date), benef.id,
        data.care_date)
    breakdown = compute(CareInput.of(data, data.price_cents), BeneficiaryFacts.of(benef),
                        formula_id=ctx.active_contract().formula_id, history=history)
    estimate_id, created = new_id("E")
    estimate = EstimateItem(
        id=estimate_id, created_at=created, beneficiary_id=benef.id,
        beneficiary_name=benef.name, act_code=breakdown.act_code,
        act_label=breakdown.act_label, category=breakdown.category,
        care_date=data.care_date, price_cents=data.price_cents, quantity=data.quantity,
        practitioner=data.practitioner, care_pathway=data.care_pathway,
        ald_related=data.ald_related, work_accident=data.work_accident, label=data.label,
        lines=list(breakdown.lines), totals=breakdown.totals,
        situations=list(breakdown.situations), notes=list(breakdown.notes))
    try:
        repository.put_estimate(caller.member_pk, estimate,
                                idempotency.marker(caller.member_pk, "estimate", key,
                                                   estimate.id))
    except Conflict:
        first = idempotency.created_before(caller.member_pk, "estimate", key)
        earlier = repository.get_estimate(caller.member_pk, first) if first else None
        if earlier is None:
            raise
        return _out(earlier, None)
    count("EstimateComputed")
    return _out(estimate, None)


def public_estimate(data: PublicEstimateIn) -> PublicEstimateOut:
    """The engine alone, for a visitor without an account: no member file, no history (as
    if nothing had been used of this year's deductibles and allowances), nothing stored."""
    from engine import BeneficiaryFacts, CareInput, History, compute, list_formulas
    from engine.errors import UnknownFormulaError

    if data.formula_id not in {f.id for f in list_formulas()}:
        raise BadRequest("Cette formule n'existe pas.", code="unknown_formula",
                         fields={"formula_id": "formule inconnue"})
    if data.birth_date > data.care_date:
        raise BadRequest("La date de naissance doit précéder la date des soins.",
                         code="invalid_birth_date",
                         fields={"birth_date": "après la date des soins"})
    facts = BeneficiaryFacts(id=data.beneficiary_id, birth_date=data.birth_date)
    try:
        breakdown = compute(CareInput.of(data, data.price_cents), facts,
                            formula_id=data.formula_id,
                            history=History.empty(data.beneficiary_id, data.care_date))
    except UnknownFormulaError as exc:
        raise BadRequest("Cette formule n'est pas proposée à la date des soins.",
                         code="formula_not_in_force",
                         fields={"care_date": "formule pas en vigueur"}) from exc
    count("PublicEstimateComputed")
    return PublicEstimateOut(
        act_code=breakdown.act_code, act_label=breakdown.act_label,
        category=breakdown.category, care_date=data.care_date, price_cents=data.price_cents,
        quantity=data.quantity, lines=list(breakdown.lines), totals=breakdown.totals,
        situations=list(breakdown.situations), notes=list(breakdown.notes))


def list_estimates(caller: Caller, cursor: str | None, limit: int) -> Page[EstimateOut]:
    items, nxt = repository.list_estimates(caller.member_pk, cursor, limit)
    windows = [w for w in map(_window, items) if w]
    # The payments of the whole page in one Query over the span of their windows.
    paid = repository.claims_between(caller.member_pk, min(w[0] for w in windows),
                                     max(w[1] for w in windows)) if windows else []
    return Page[EstimateOut](items=[_with(e, paid) for e in items], next=nxt)


def get_estimate(caller: Caller, estimate_id: str) -> EstimateOut:
    estimate = repository.get_estimate(caller.member_pk, estimate_id)
    if estimate is None:
        raise NotFound("Cette estimation est introuvable.")
    return with_actual(caller, estimate)


def delete_estimate(caller: Caller, estimate_id: str) -> None:
    if not repository.delete_estimate(caller.member_pk, estimate_id):
        raise NotFound("Cette estimation est introuvable : elle a peut-être déjà été supprimée.")


def _out(e: EstimateItem, actual: ActualPayment | None) -> EstimateOut:
    return EstimateOut(
        id=e.id, created_at=e.created_at, beneficiary_id=e.beneficiary_id,
        beneficiary_name=e.beneficiary_name, act_code=e.act_code, act_label=e.act_label,
        category=e.category, care_date=e.care_date, price_cents=e.price_cents,
        quantity=e.quantity, practitioner=e.practitioner, care_pathway=e.care_pathway,
        ald_related=e.ald_related, work_accident=e.work_accident, label=e.label,
        lines=e.lines, totals=e.totals, situations=e.situations, notes=e.notes,
        actual=actual)


def created_on(estimate: EstimateItem) -> date:
    """The Paris date the estimate was made (care before it cannot be the estimated care)."""
    return datetime.fromisoformat(estimate.created_at).astimezone(PARIS).date()


def _window(estimate: EstimateItem) -> tuple[date, date] | None:
    """When the estimated care may have been reimbursed: around the planned date, and never
    before the estimate was made."""
    earliest = max(estimate.care_date - MATCH_BEFORE, created_on(estimate))
    latest = estimate.care_date + MATCH_AFTER
    return (earliest, latest) if earliest <= latest else None


def with_actual(caller: Caller, estimate: EstimateItem) -> EstimateOut:
    window = _window(estimate)
    if window is None:
        return _out(estimate, None)
    return _with(estimate, repository.claims_of_beneficiary(
        caller.member_pk, estimate.beneficiary_id, *window))


def _with(estimate: EstimateItem, claims: list[ClaimItem]) -> EstimateOut:
    window = _window(estimate)
    candidates = [c for c in claims if window and window[0] <= c.care_date <= window[1]
                  and c.beneficiary_id == estimate.beneficiary_id
                  and c.act_code == estimate.act_code and c.status == "paid"]
    if not candidates:
        return _out(estimate, None)
    claim = min(candidates, key=lambda c: abs((c.care_date - estimate.care_date).days))
    return _out(estimate, ActualPayment(
        claim_id=claim.id, care_date=claim.care_date, totals=Totals.model_validate(claim),
        gap_explanation=explain_gap(estimate, claim)))


def explain_gap(estimate: EstimateItem, claim: ClaimItem) -> list[str]:
    """Why the payment differs from the estimate, in the member's words, biggest cause first."""
    e, reasons = estimate.totals, []
    if claim.mutual_cents == e.mutual_cents and claim.social_security_cents == \
            e.social_security_cents and claim.real_cost_cents == e.real_cost_cents:
        return ["Le remboursement correspond exactement à l'estimation."]
    if claim.real_cost_cents != e.real_cost_cents:
        reasons.append(
            f"Le montant facturé ({format_eur(claim.real_cost_cents)}) diffère du prix indiqué "
            f"pour l'estimation ({format_eur(e.real_cost_cents)}).")
    if claim.base_cents != e.base_cents:
        reasons.append(
            f"La base de remboursement de la Sécurité sociale était de "
            f"{format_eur(claim.base_cents)} au lieu de {format_eur(e.base_cents)} "
            f"(tarif en vigueur à la date des soins ou acte facturé différemment).")
    practitioner = claim.practitioner
    if practitioner and practitioner.sector and (
            practitioner.sector != estimate.practitioner.sector
            or (practitioner.optam is not None
                and practitioner.optam != estimate.practitioner.optam)):
        optam = "adhérent" if practitioner.optam else "non adhérent"
        reasons.append(
            f"Le professionnel est en secteur {practitioner.sector} et {optam} à l'OPTAM, "
            f"ce qui change la prise en charge des dépassements d'honoraires.")
    if claim.care_pathway != estimate.care_pathway:
        reasons.append("Le parcours de soins coordonnés n'était pas le même que celui indiqué "
                       "pour l'estimation : le taux de la Sécurité sociale change.")
    if claim.deductibles_cents != e.deductibles_cents:
        reasons.append(
            f"La participation forfaitaire et les franchises retenues étaient de "
            f"{format_eur(claim.deductibles_cents)} au lieu de {format_eur(e.deductibles_cents)}"
            f" (plafonds journaliers et annuels atteints ou non à la date des soins).")
    if claim.mutual_cents != e.mutual_cents and len(reasons) == 0:
        reasons.append("Une partie de vos forfaits annuels a été utilisée entre l'estimation "
                       "et les soins, ce qui a changé la part de la mutuelle.")
    diff = claim.mutual_cents - e.mutual_cents
    if diff:
        way = "de plus" if diff > 0 else "de moins"
        reasons.append(f"Au total, la mutuelle a versé {format_eur(abs(diff))} {way} que "
                       f"l'estimation.")
    return reasons


# ----------------------------------------------------------------------------- décompte
LINE_ORDER = ("real_cost", "base", "social_security", "deductibles", "mutual", "out_of_pocket")
LINE_LABELS = {"real_cost": "Frais réels", "base": "Base de remboursement",
               "social_security": "Remboursé par la Sécurité sociale",
               "deductibles": "Participation forfaitaire et franchises",
               "mutual": "Remboursé par la mutuelle", "out_of_pocket": "Reste à votre charge"}


def _line_explanation(key: str, estimated: int, paid: int) -> str:
    if estimated == paid:
        return "Identique à l'estimation."
    more = "de plus" if paid > estimated else "de moins"
    gap = f"{format_eur(abs(paid - estimated))} {more} que l'estimation"
    return {
        "real_cost": f"Le professionnel a facturé {format_eur(paid)}, soit {gap} : le prix "
                     f"indiqué pour l'estimation était de {format_eur(estimated)}.",
        "base": f"La Sécurité sociale a retenu une base de {format_eur(paid)}, soit {gap} "
                f"(tarif en vigueur à la date des soins, ou acte facturé autrement).",
        "social_security": f"La Sécurité sociale a remboursé {format_eur(paid)}, soit {gap} "
                           f"(taux, base ou parcours de soins différents).",
        "deductibles": f"{format_eur(paid)} ont été retenus, soit {gap} (plafonds "
                       f"journaliers et annuels atteints ou non à la date des soins).",
        "mutual": f"La mutuelle a versé {format_eur(paid)}, soit {gap}.",
        "out_of_pocket": f"Il vous est resté {format_eur(paid)} à payer, soit {gap}.",
    }[key]


def compare(estimate: EstimateItem, claim: ClaimItem) -> EstimateComparison:
    """The estimate beside the payment, figure by figure, each difference said in words."""
    estimated, paid = estimate.totals, Totals.model_validate(claim)
    labels = {line.key: line.label for line in claim.lines}
    lines = []
    for key in LINE_ORDER:
        before, after = getattr(estimated, f"{key}_cents"), getattr(paid, f"{key}_cents")
        lines.append(ComparedLine(key=key, label=labels.get(key, LINE_LABELS[key]),
                                  estimated_cents=before, paid_cents=after,
                                  difference_cents=after - before,
                                  explanation=_line_explanation(key, before, after)))
    return EstimateComparison(estimate_id=estimate.id, estimate_label=estimate.label,
                              estimated_on=created_on(estimate), lines=lines,
                              reasons=explain_gap(estimate, claim))


def compared_with(caller: Caller, claim: ClaimItem) -> EstimateComparison | None:
    """Her estimate of this care (same beneficiary and act, care date in the estimate's
    window), the nearest in time, set beside the payment; None when there is none."""
    if claim.status != "paid":
        return None
    matching = [e for e in repository.all_estimates(caller.member_pk)
                if e.beneficiary_id == claim.beneficiary_id and e.act_code == claim.act_code
                and (w := _window(e)) and w[0] <= claim.care_date <= w[1]]
    if not matching:
        return None
    # The nearest planned date; between equals, the latest estimate.
    latest_first = sorted(matching, key=lambda e: e.created_at, reverse=True)
    nearest = min(latest_first, key=lambda e: abs((claim.care_date - e.care_date).days))
    return compare(nearest, claim)
