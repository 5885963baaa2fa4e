"""Step 4: the ceilings on the mutuelle's part for this care: the formula's own (per session…)
and the contrat responsable's (frame, hearing aids). The mutuelle step pays within them."""

from __future__ import annotations

from shared.money import format_eur

from ..snapshot import Snapshot
from ..state import State


def run(snap: Snapshot, st: State) -> None:
    g = snap.guarantee
    if g is not None and g.per_unit_cap_cents is not None:
        st.caps.append(
            (
                g.per_unit_cap_cents * st.qty,
                f"part de la mutuelle limitée à {format_eur(g.per_unit_cap_cents)} par "
                f"{snap.act.quantity_unit[0]} selon votre formule",
            )
        )
    responsable = snap.responsable
    if responsable is None:
        return
    if snap.act.regulatory_mutual_cap:
        cap = responsable.mutual_caps_per_unit[snap.act.regulatory_mutual_cap]
        st.unconfirmed |= cap.unconfirmed
        st.caps.append((cap.amount_cents * st.qty, cap.label))
    if snap.act.regulatory_total_cap:
        cap = responsable.total_caps_per_unit[snap.act.regulatory_total_cap]
        st.unconfirmed |= cap.unconfirmed
        st.caps.append((max(0, cap.amount_cents * st.qty - st.ss_gross), cap.label))
