"""How one act of care splits between Sécurité sociale, the mutuelle and the member.

``compute`` resolves the rules in force on the care date once (``snapshot.resolve``), runs
the steps of ``steps.STEPS`` on that snapshot, each adding its figures and French
explanations to one state, then reads the lines off the state (``outcome``).
"""

from __future__ import annotations

from datetime import date

from .catalogue import rules_known_until
from .history import History
from .models import BeneficiaryFacts, Breakdown, CareInput
from .outcome import breakdown
from .snapshot import resolve
from .state import State
from .steps import STEPS


def compute(
    care: CareInput,
    beneficiary: BeneficiaryFacts,
    formula_id: str,
    history: History | None = None,
    *,
    today: date | None = None,
) -> Breakdown:
    """Split one act of care. ``today`` (optional) refuses care dates in the future.

    Raises an ``EngineError`` subclass with a French message when the input cannot be
    computed.
    """
    snap = resolve(care, beneficiary, formula_id, history, today)
    st = State(
        price=care.price_cents,
        qty=care.quantity,
        notes=list(snap.notes),
        unconfirmed=snap.act.unconfirmed or snap.version.unconfirmed or snap.coverage.unconfirmed
        or care.care_date > rules_known_until(),
    )
    for step in STEPS:
        step(snap, st)
    return breakdown(snap, st)
