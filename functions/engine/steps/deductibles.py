"""Step 3: participation forfaitaire and franchises withheld by the Sécurité sociale, within
their daily and yearly caps. The mutuelle never pays them (contrat responsable)."""

from __future__ import annotations

from ..money import eur
from ..snapshot import Snapshot
from ..state import State
from .base import units


def _participation(snap: Snapshot, st: State) -> None:
    pv = snap.participation
    if pv is None:
        return
    st.unconfirmed |= pv.unconfirmed
    waived = snap.coverage.participation_waived
    if waived:
        st.deductible_texts.append(f"Participation forfaitaire non appliquée : {waived}.")
        return
    day, year = snap.day, snap.day.year
    amount, why = pv.amount_cents, []
    if snap.care.practitioner_id:
        daily_cap = pv.daily_cap_cents_per_practitioner
        room = max(0, daily_cap - snap.history.participation_on(day, snap.care.practitioner_id))
        if room < amount:
            amount = room
            why.append(
                f"le plafond de {eur(daily_cap)} par jour chez le même professionnel est atteint"
            )
    room = max(0, pv.yearly_cap_cents - snap.history.year(year).participation_cents)
    if room < amount:
        amount = room
        why.append(f"le plafond annuel de {eur(pv.yearly_cap_cents)} est atteint pour {year}")
    if st.ss_gross < amount:
        # The Sécurité sociale recovers the rest on later reimbursements; not modelled here.
        amount = st.ss_gross
        why.append("elle est limitée au remboursement de la Sécurité sociale")
    st.participation = amount
    if amount == 0:
        st.deductible_texts.append(f"Participation forfaitaire non appliquée : {' ; '.join(why)}.")
    elif why:
        st.deductible_texts.append(
            f"Participation forfaitaire réduite à {eur(amount)} au lieu de "
            f"{eur(pv.amount_cents)} : {' ; '.join(why)}."
        )
    else:
        st.deductible_texts.append(
            f"Participation forfaitaire de {eur(amount)} retenue par la Sécurité "
            f"sociale (au plus {eur(pv.daily_cap_cents_per_practitioner)} par jour "
            f"chez un même professionnel et {eur(pv.yearly_cap_cents)} par an)."
        )


def _franchise(snap: Snapshot, st: State) -> None:
    fv, kind = snap.franchises, snap.act.franchise
    if fv is None or kind is None:
        return
    st.unconfirmed |= fv.unconfirmed
    waived = snap.coverage.franchise_waived
    if waived:
        st.deductible_texts.append(f"Franchise médicale non appliquée : {waived}.")
        return
    day, year = snap.day, snap.day.year
    unit = {
        "box": fv.box_cents,
        "paramedical": fv.paramedical_cents,
        "transport": fv.transport_cents,
    }[kind]
    amount, why = unit * st.qty, []
    daily_cap = {
        "paramedical": fv.paramedical_daily_cap_cents,
        "transport": fv.transport_daily_cap_cents,
    }.get(kind)
    if daily_cap is not None:
        st.unconfirmed |= f"{kind}_daily_cap" in fv.unconfirmed_figures
        room = max(0, daily_cap - snap.history.franchise_on(day, kind))
        if room < amount:
            amount = room
            why.append(f"le plafond de {eur(daily_cap)} par jour est atteint")
    room = max(0, fv.yearly_cap_cents - snap.history.year(year).franchise_cents)
    if room < amount:
        amount = room
        why.append(f"le plafond annuel de {eur(fv.yearly_cap_cents)} est atteint pour {year}")
    if st.ss_gross - st.participation < amount:
        amount = st.ss_gross - st.participation
        why.append("elle est limitée au remboursement de la Sécurité sociale")
    st.franchise = amount
    detail = (
        f"{eur(unit)} × {units(snap, st.qty)} = {eur(unit * st.qty)}" if st.qty > 1 else eur(unit)
    )
    if amount == 0:
        st.deductible_texts.append(f"Franchise médicale non appliquée : {' ; '.join(why)}.")
    elif why:
        st.deductible_texts.append(
            f"Franchise médicale réduite à {eur(amount)} au lieu de {detail} : {' ; '.join(why)}."
        )
    else:
        st.deductible_texts.append(
            f"Franchise médicale de {detail}, retenue par la Sécurité sociale "
            f"(au plus {eur(fv.yearly_cap_cents)} par an)."
        )


def run(snap: Snapshot, st: State) -> None:
    if snap.act.participation:
        _participation(snap, st)
    if snap.act.franchise:
        _franchise(snap, st)
    if (st.participation or st.franchise) and snap.coverage.deductibles_note:
        st.deductible_texts.append(snap.coverage.deductibles_note)
    if st.participation or st.franchise:
        st.deductible_texts.append(
            "Elle reste à votre charge : la mutuelle n'a pas le droit de la rembourser "
            "(contrat responsable)."
            if (st.participation == 0) != (st.franchise == 0)
            else "Elles restent à votre charge : la mutuelle n'a pas le droit de les rembourser "
            "(contrat responsable)."
        )
    if not st.deductible_texts:
        st.deductible_texts.append(
            "Aucune participation forfaitaire ni franchise médicale ne s'applique à ce soin."
        )
