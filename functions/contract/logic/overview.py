"""« Mon contrat »: the formula, the dates, each beneficiary with her situation, the accounts
(masked), and what is pending."""

from __future__ import annotations

from datetime import date

from contract import repository
from contract.logic import termination
from contract.logic.contributions import instalments
from contract.models import ContractBeneficiary, ContractOut, CoverPeriod, NoemieOut
from domain.membership import Beneficiary, member_context
from domain.requests import KINDS, OPEN
from domain.situation import REGIME_LABELS
from shared.dates import fr_date
from shared.iban import mask_iban
from shared.identity import Caller

CONTRACT_KINDS = ("beneficiary_add", "bank_details", "portability")


def situations(b: Beneficiary, on: date) -> list[str]:
    """Her situations on file, said plainly (health facts: shown to her alone)."""
    s = b.situation
    said = [f"Affection de longue durée : {a.label}" for a in s.ald_on(on)]
    said += [f"Complémentaire santé solidaire jusqu'au {fr_date(p.end)}" if p.end
             else "Complémentaire santé solidaire" for p in s.c2s if p.covers(on)]
    said += ["Aide médicale de l'État" for p in s.ame if p.covers(on)]
    for pregnancy in s.pregnancies:
        period = pregnancy.maternity_period()
        if period.end and period.end >= on:
            verb = "Prise en charge maternité" if period.covers(on) else \
                f"Prise en charge maternité à partir du {fr_date(period.start)}"
            said.append(f"{verb} jusqu'au {fr_date(period.end)}" if period.covers(on)
                        else verb)
    return said


NOEMIE_TODO = [
    "Joignez le décompte de la Sécurité sociale (relevé de remboursements, sur ameli.fr) à "
    "chaque demande de remboursement : sans lui, la mutuelle ne connaît pas ces soins.",
    "Pour mettre en place la liaison, envoyez à votre mutuelle l'attestation de droits à "
    "l'Assurance maladie de cette personne (téléchargeable sur ameli.fr), par exemple avec "
    "« Faire une autre demande ».",
    "Si cette personne est rattachée à une autre complémentaire santé auprès de sa caisse "
    "(CPAM), demandez à la CPAM de la rattacher à votre mutuelle.",
]


def noemie_out(b: Beneficiary) -> NoemieOut:
    link = b.noemie
    if link and link.active:
        since = f" depuis le {fr_date(link.since)}" if link.since else ""
        return NoemieOut(
            status="active", label=f"Liaison NOEMIE active{since}",
            explanation="La Sécurité sociale transmet elle-même ses remboursements à votre "
                        "mutuelle : vous n'avez rien à envoyer, la part de la mutuelle est "
                        "versée automatiquement.", what_to_do=[])
    if link is None:
        return NoemieOut(
            status="unknown", label="Liaison NOEMIE : information non disponible",
            explanation="Votre mutuelle n'a pas encore l'état de la liaison avec la "
                        "Sécurité sociale pour cette personne. En attendant :",
            what_to_do=NOEMIE_TODO)
    return NoemieOut(
        status="inactive", label="Liaison NOEMIE non active",
        explanation="La Sécurité sociale ne transmet pas les remboursements de cette personne "
                    "à votre mutuelle : ils ne seront pas complétés automatiquement.",
        what_to_do=NOEMIE_TODO)


def beneficiary_out(b: Beneficiary, on: date) -> ContractBeneficiary:
    return ContractBeneficiary(
        id=b.id, name=b.name, rank=b.rank, relationship=b.relationship,
        relationship_label=b.relationship_label, birth_date=b.birth_date,
        regime_label=REGIME_LABELS[b.situation.regime], situations=situations(b, on),
        benefit_account=mask_iban(b.benefit_iban) if b.benefit_iban else None,
        noemie=noemie_out(b))


def get_contract(caller: Caller) -> ContractOut:
    from engine import get_formula

    ctx = member_context(caller.member)
    contract = ctx.active_contract()
    formula = get_formula(contract.formula_id, ctx.on)
    late = [i for i in instalments(caller.member, ctx.on) if i.status == "late"]
    pending, _ = repository.open_requests(caller.member)
    asked, _ = termination.pending(ctx, contract)
    return ContractOut(
        number=contract.number, formula_id=contract.formula_id,
        formula_label=contract.formula_label, formula_description=formula.description,
        start_date=contract.start_date, end_date=contract.end_date,
        collective=contract.collective, employer=contract.employer,
        responsable=contract.responsable,
        contribution_account=mask_iban(contract.contribution_iban)
        if contract.contribution_iban else None,
        contribution_holder=contract.contribution_holder,
        portability=CoverPeriod(start=contract.portability.start, end=contract.portability.end)
        if contract.portability else None,
        beneficiaries=[beneficiary_out(b, ctx.on) for b in ctx.beneficiaries.values()],
        termination=asked, late_instalments=len(late),
        pending_changes=[f"{KINDS[r['kind']].label} n° {r['reference']} (en cours)"
                         for r in pending if r["kind"] in CONTRACT_KINDS
                         and r["status"] in OPEN])
