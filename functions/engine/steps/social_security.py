"""Step 2: the Sécurité sociale part, before participation forfaitaire and franchises, at the
rate of the beneficiary's regime and situations (``snapshot.coverage``)."""

from __future__ import annotations

from ..money import eur, percent_of
from ..snapshot import Snapshot
from ..state import State

_PAID_IN_FULL = {
    "daily_charge": ("daily_charge_paid", "le forfait journalier"),
    "emergency_charge": ("emergency_paid", "le forfait patient urgences"),
    "flat_charge": ("heavy_flat_waived", "le forfait sur les actes lourds"),
}


def _pay_all(st: State, text: str) -> None:
    st.ss_gross = st.ss_ref = st.base
    st.ss_text = text


def run(snap: Snapshot, st: State) -> None:
    v, cover = snap.version, snap.coverage
    base = st.base
    if base == 0:
        st.ss_text = "La Sécurité sociale ne rembourse pas ce soin."
        return
    if cover.group in _PAID_IN_FULL:
        attribute, what = _PAID_IN_FULL[cover.group]
        why = getattr(cover, attribute)
        if why:
            _pay_all(
                st,
                f"{what[0].upper()}{what[1:]} n'est pas à votre charge ({why}) : la Sécurité "
                f"sociale le prend en charge, soit {eur(base)}.",
            )
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
            if cover.heavy_flat_waived:
                _pay_all(
                    st,
                    f"100 % de la base de {eur(base)} (acte de plus de "
                    f"{eur(flat.threshold_cents)}), sans forfait sur les actes lourds : "
                    f"{cover.heavy_flat_waived}",
                )
                return
            st.ss_gross = st.ss_ref = base - flat.base_cents
            st.ss_text = (
                f"100 % de la base de {eur(base)} (acte de plus de "
                f"{eur(flat.threshold_cents)}), moins le forfait actes lourds de "
                f"{eur(flat.base_cents)}, que votre mutuelle peut prendre en charge"
            )
            return
    rate, why = v.rate_percent, ""
    age_rate = next((a for a in v.age_rates if snap.age < a.under_age), None)
    if age_rate is not None and age_rate.rate_percent > rate:
        rate, why = age_rate.rate_percent, f" ({age_rate.label})"
    if cover.rate_percent is not None and cover.rate_percent > rate:
        rate, why = cover.rate_percent, f" {cover.rate_why}"
    in_pathway = percent_of(base, rate)
    pathway_rule = snap.act.care_pathway and v.out_of_pathway_rate_percent is not None
    if snap.out_of_pathway:
        # The cut out of the care pathway is the same number of points in every regime.
        out_rate = max(0, rate - (v.rate_percent - (v.out_of_pathway_rate_percent or 0)))
        st.ss_gross = percent_of(base, out_rate)
        st.ss_ref = in_pathway
        st.out_of_pathway = True
        st.ss_text = (
            f"{out_rate} % de la base de {eur(base)} au lieu de {rate} %{why} : "
            f"consultation en dehors du parcours de soins coordonnés (sans passer par "
            f"votre médecin traitant)"
        )
        return
    st.ss_gross = st.ss_ref = in_pathway
    st.ss_text = f"{rate} % de la base de {eur(base)}"
    if pathway_rule:
        st.ss_text += " (parcours de soins respecté)"
    st.ss_text += why
    if cover.sante_100_paid and st.cap_100 is not None and snap.act.basket == "100_sante":
        covered = min(st.price, st.cap_100)
        if covered > st.ss_gross:
            st.ss_gross = st.ss_ref = covered
            st.ss_text += (
                f", complétés jusqu'au prix limite de vente de {eur(st.cap_100)} : "
                f"équipement 100 % Santé pris en charge en totalité ({cover.sante_100_paid})"
            )
