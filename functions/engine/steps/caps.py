"""Step 4: the ceilings on the mutuelle's part for this care: the formula's own (per session…)
and the contrat responsable's (frame, hearing aids). The mutuelle step pays within them."""

from __future__ import annotations

from ..money import eur
from ..snapshot import Snapshot
from ..state import State


def _optics_equipment(snap: Snapshot, st: State) -> None:
    """Class B glasses: the mutuelle pays at most the equipment ceiling of the contrat
    responsable, the sum of its lenses' shares (frame included). Frame and lenses bought the
    same day are one equipment: what the mutuelle already paid that day counts."""
    act, responsable = snap.act, snap.responsable
    if responsable is None or act.renewal != "optics" or act.basket != "libre":
        return
    if act.correction is None:
        # A frame: within what the lenses bought the same day allow, if any.
        paid, ceiling = snap.history.optics_on(snap.day)
        if ceiling:
            st.caps.append(
                (
                    max(0, ceiling - paid),
                    f"plafond du contrat responsable pour l'équipement acheté le même jour : "
                    f"{eur(ceiling)}, monture comprise, dont {eur(paid)} déjà "
                    f"remboursés",
                )
            )
        return
    share = responsable.optics_lens_share_cents.get(act.correction)
    if share is None:
        return
    lenses = act.lenses_per_unit * st.qty
    paid, ceiling = snap.history.optics_on(snap.day)
    st.optics_cap_cents = share * lenses
    total = ceiling + st.optics_cap_cents
    label = (
        f"plafond du contrat responsable pour des lunettes hors 100 % Santé : "
        f"{eur(share)} par verre {responsable.optics_correction_labels[act.correction]}"
        f", soit {eur(total)} pour l'équipement, monture comprise"
    )
    if paid:
        label += f", dont {eur(paid)} déjà remboursés le même jour"
    st.caps.append((max(0, total - paid), label))


def run(snap: Snapshot, st: State) -> None:
    g = snap.guarantee
    if g is not None and g.per_unit_cap_cents is not None:
        st.caps.append(
            (
                g.per_unit_cap_cents * st.qty,
                f"part de la mutuelle limitée à {eur(g.per_unit_cap_cents)} par "
                f"{snap.act.quantity_unit[0]} (formule {snap.formula.label})",
            )
        )
    responsable = snap.responsable
    if responsable is None:
        return
    if snap.act.regulatory_mutual_cap:
        cap = responsable.mutual_caps_per_unit[snap.act.regulatory_mutual_cap]
        st.unconfirmed |= cap.unconfirmed
        st.caps.append((cap.amount_cents * st.qty, cap.label))
    _optics_equipment(snap, st)
    if snap.act.regulatory_total_cap:
        cap = responsable.total_caps_per_unit[snap.act.regulatory_total_cap]
        st.unconfirmed |= cap.unconfirmed
        st.caps.append((max(0, cap.amount_cents * st.qty - st.ss_gross), cap.label))
