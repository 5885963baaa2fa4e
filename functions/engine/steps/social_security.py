"""Step 2: the Sécurité sociale part, before participation forfaitaire and franchises."""

from __future__ import annotations

from shared.money import format_eur

from ..money import percent_of
from ..snapshot import Snapshot
from ..state import State


def run(snap: Snapshot, st: State) -> None:
    v = snap.version
    base = st.base
    if base == 0:
        st.ss_text = "La Sécurité sociale ne rembourse pas ce soin."
        return
    if v.rate_percent == 0:
        st.ss_text = (
            "La Sécurité sociale ne rembourse pas ce forfait : il est à régler par vous ou "
            "par votre mutuelle."
        )
        return
    flat = snap.heavy_flat
    if flat is not None and flat.base_cents is not None and flat.threshold_cents is not None:
        st.unconfirmed |= flat.unconfirmed
        if base >= flat.threshold_cents:
            st.ss_gross = st.ss_ref = base - flat.base_cents
            st.ss_text = (
                f"100 % de la base de {format_eur(base)} (acte de plus de "
                f"{format_eur(flat.threshold_cents)}), moins le forfait actes lourds de "
                f"{format_eur(flat.base_cents)}, que votre mutuelle peut prendre en charge"
            )
            return
    rate = v.rate_percent
    in_pathway = percent_of(base, rate)
    pathway_rule = snap.act.care_pathway and v.out_of_pathway_rate_percent is not None
    if pathway_rule and not snap.care.care_pathway:
        if snap.age < 16:
            st.notes.append(
                "Le parcours de soins coordonnés ne s'applique pas avant 16 ans : "
                "le remboursement n'est pas réduit."
            )
        else:
            out_rate = v.out_of_pathway_rate_percent
            st.ss_gross = percent_of(base, out_rate)
            st.ss_ref = in_pathway
            st.out_of_pathway = True
            st.ss_text = (
                f"{out_rate} % de la base de {format_eur(base)} au lieu de {rate} % : "
                f"consultation en dehors du parcours de soins coordonnés (sans passer par "
                f"votre médecin traitant)"
            )
            return
    st.ss_gross = st.ss_ref = in_pathway
    st.ss_text = f"{rate} % de la base de {format_eur(base)}"
    if pathway_rule:
        st.ss_text += " (parcours de soins respecté)"
