"""Step 1: the Sécurité sociale base (BRSS) of the care, and the 100 % Santé price cap."""

from __future__ import annotations

from shared.money import plural

from ..errors import InvalidCareError
from ..money import eur
from ..snapshot import Snapshot
from ..state import State


def units(snap: Snapshot, count: int) -> str:
    singular, plural_form = snap.act.quantity_unit
    return plural(count, singular, plural_form)


def _refuse_extra_fees(snap: Snapshot, st: State, tariff: int) -> None:
    why = snap.coverage.no_extra_fees
    if why and st.price > tariff:
        raise InvalidCareError(
            "extra_fees_not_allowed",
            f"Le montant de {eur(st.price)} dépasse le tarif de la Sécurité sociale "
            f"({eur(tariff)}) : aucun dépassement d'honoraires ne peut être facturé à un "
            f"{why}. Indiquez le tarif de la Sécurité sociale ; si le professionnel vous a "
            f"demandé plus, signalez-le à votre caisse d'assurance maladie.",
            "price_cents",
        )


def run(snap: Snapshot, st: State) -> None:
    v = snap.version
    age_base = next((a for a in v.age_bases if snap.age < a.under_age), None)
    cap_unit = v.price_cap_cents
    if age_base is not None and age_base.price_cap_cents is not None:
        cap_unit = age_base.price_cap_cents
    st.cap_100 = None if cap_unit is None else cap_unit * st.qty
    if st.cap_100 is not None:
        st.unconfirmed |= "price_cap" in v.unconfirmed_figures
    st.unconfirmed |= "rate" in v.unconfirmed_figures

    if v.base_cents is None:
        st.base = st.price
        st.base_text = (
            f"Pour ce soin, la base est le montant facturé ({v.base_note}) : {eur(st.price)}."
        )
        return
    if v.base_cents == 0:
        st.base = 0
        st.base_text = (
            "Ce soin n'est pas remboursé par la Sécurité sociale : il n'a pas de base "
            "de remboursement."
        )
        return

    reduced = snap.coverage.emergency_reduced
    if reduced and v.reduced_base_cents is not None:
        unit = v.reduced_base_cents
        why = f"montant réduit du forfait patient urgences : {reduced}"
        st.unconfirmed |= "reduced_base" in v.unconfirmed_figures
    elif snap.non_optam and v.non_optam_base_cents is not None:
        unit = v.non_optam_base_cents
        why = "tarif de base quand le médecin de secteur 2 n'adhère pas à l'OPTAM"
        st.unconfirmed |= "non_optam_base" in v.unconfirmed_figures
    elif age_base is not None:
        unit = age_base.base_cents
        st.unconfirmed |= "age_bases" in v.unconfirmed_figures
        why = f"{v.base_note or 'tarif de la Sécurité sociale'}, {age_base.label}"
        if age_base.note:
            why += f", {age_base.note}"
    else:
        unit = v.base_cents
        why = v.base_note or "tarif de la Sécurité sociale"
        st.unconfirmed |= "base" in v.unconfirmed_figures
    if snap.out_of_pathway and v.coordination_cents:
        unit -= v.coordination_cents
        why += (
            f", sans la majoration de coordination de {eur(v.coordination_cents)}, due "
            f"seulement dans le parcours de soins"
        )
    tariff = unit * st.qty
    if st.qty > 1:
        text = f"{eur(unit)} × {units(snap, st.qty)} = {eur(tariff)} ({why})"
    else:
        text = f"{eur(tariff)} ({why})"
    _refuse_extra_fees(snap, st, tariff)
    if tariff > st.price:
        st.base = st.price
        st.base_text = (
            f"Base limitée au montant payé, {eur(st.price)}, inférieur au tarif de {text}."
        )
        return
    st.base = tariff
    st.base_text = text[0].upper() + text[1:] + "."
