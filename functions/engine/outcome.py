"""The result of the steps as the member reads it: six lines with their French explanations,
the totals, and what the care consumed (to store with the reimbursement)."""

from __future__ import annotations

from .catalogue import rules_date
from .errors import RulesDataError
from .models import Breakdown
from .money import eur
from .rules import load_rules
from .snapshot import Snapshot
from .state import State
from .steps.base import units

LABELS = {
    "real_cost": "Dépense réelle",
    "base": "Base de remboursement de la Sécurité sociale",
    "social_security": "Remboursement de la Sécurité sociale",
    "deductibles": "Participation forfaitaire et franchise",
    "mutual": "Remboursement de votre mutuelle",
    "out_of_pocket": "Reste à votre charge",
}


def _ss_text(st: State) -> str:
    text = st.ss_text
    participation, franchise = st.participation, st.franchise
    if participation and franchise:
        text += (
            f", moins la participation forfaitaire de {eur(participation)} et la "
            f"franchise médicale de {eur(franchise)}"
        )
    elif participation:
        text += f", moins la participation forfaitaire de {eur(participation)}"
    elif franchise:
        text += f", moins la franchise médicale de {eur(franchise)}"
    if st.ss_gross and not text.endswith("."):
        text += f", soit {eur(st.ss_net)}."
    return text[0].upper() + text[1:]


def _out_of_pocket_text(snap: Snapshot, st: State, out_of_pocket: int) -> str:
    if out_of_pocket == 0:
        if snap.act.basket == "100_sante" and st.renewal_ok:
            return (
                "Aucun reste à charge : équipement 100 % Santé vendu dans la limite du "
                "prix limite de vente."
            )
        return (
            "Aucun reste à charge : la Sécurité sociale et votre mutuelle "
            "remboursent toute la dépense."
        )
    text = (
        f"{eur(st.price)} − {eur(st.ss_net)} (Sécurité sociale) − "
        f"{eur(st.mutual)} (mutuelle) = {eur(out_of_pocket)}"
    )
    parts = []
    if st.participation:
        parts.append(f"{eur(st.participation)} de participation forfaitaire")
    if st.franchise:
        parts.append(f"{eur(st.franchise)} de franchise médicale")
    rest = out_of_pocket - st.deductibles
    if rest and parts:
        parts.append(f"{eur(rest)} au-delà des remboursements")
    return text + (f", dont {' et '.join(parts)}." if parts else ".")


_line = dict  # the whole result is validated once, in one call (see ``breakdown``)


def _validate(**fields: object) -> Breakdown:
    return Breakdown.model_validate(fields)


def breakdown(snap: Snapshot, st: State) -> Breakdown:
    ss_net = st.ss_net
    out_of_pocket = st.price - ss_net - st.mutual
    if not (0 <= st.mutual <= st.price - st.ss_gross and out_of_pocket >= st.deductibles):
        raise RulesDataError("engine_invariant", "Calcul incohérent : merci de nous le signaler.")
    real_text = f"Montant payé : {eur(st.price)}"
    real_text += f" pour {units(snap, st.qty)}." if st.qty > 1 else "."
    lines = [
        _line(
            key="real_cost", label=LABELS["real_cost"], amount_cents=st.price, explanation=real_text
        ),
        _line(key="base", label=LABELS["base"], amount_cents=st.base, explanation=st.base_text),
        _line(
            key="social_security",
            label=LABELS["social_security"],
            amount_cents=ss_net,
            explanation=_ss_text(st),
        ),
        _line(
            key="deductibles",
            label=LABELS["deductibles"],
            amount_cents=st.deductibles,
            explanation=" ".join(st.deductible_texts),
        ),
        _line(
            key="mutual", label=LABELS["mutual"], amount_cents=st.mutual, explanation=st.mutual_text
        ),
        _line(
            key="out_of_pocket",
            label=LABELS["out_of_pocket"],
            amount_cents=out_of_pocket,
            explanation=_out_of_pocket_text(snap, st, out_of_pocket),
        ),
    ]
    act = snap.act
    return _validate(
        beneficiary_id=snap.benef.id,
        care_date=snap.day,
        act_code=act.code,
        act_label=act.label,
        category=act.category,
        category_label=load_rules().acts.categories[act.category],
        quantity=st.qty,
        practitioner_id=snap.care.practitioner_id,
        formula_id=snap.formula.id,
        formula_label=snap.formula.label,
        lines=lines,
        capped_by=st.capped_by,
        totals=dict(
            real_cost_cents=st.price,
            base_cents=st.base,
            social_security_cents=ss_net,
            deductibles_cents=st.deductibles,
            mutual_cents=st.mutual,
            out_of_pocket_cents=out_of_pocket,
            ticket_moderateur_cents=max(0, st.base - st.ss_gross),
        ),
        consumption=dict(
            participation_cents=st.participation,
            franchise_cents=st.franchise,
            franchise_kind=act.franchise if st.franchise else None,
            forfait_key=st.forfait_key,
            forfait_cents=st.forfait_cents,
            renewal=act.renewal if st.renewal_ok else None,
            optics_cents=st.mutual if act.renewal == "optics" and act.basket == "libre" else 0,
            optics_cap_cents=st.optics_cap_cents if st.renewal_ok else 0,
        ),
        notes=st.notes,
        situations=list(snap.coverage.situations),
        unconfirmed=st.unconfirmed,
        rules_date=rules_date(snap.care.care_date),
    )
