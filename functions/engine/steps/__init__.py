"""The steps of a split, run in this order on one snapshot. Each reads the snapshot and what
earlier steps wrote to the state, and adds its own figures and French explanations:

1. ``base``: the Sécurité sociale base (BRSS) and the 100 % Santé price cap;
2. ``social_security``: the Sécurité sociale part, at the rate of the beneficiary's regime and
   situations (care pathway, ALD, maternity, C2S, Alsace-Moselle, work accident…);
3. ``deductibles``: participation forfaitaire and franchises withheld, with their caps;
4. ``caps``: the ceilings on the mutuelle's part (formula, contrat responsable);
5. ``mutual``: what the mutuelle's guarantee pays within those ceilings.
"""

from __future__ import annotations

from collections.abc import Callable

from ..snapshot import Snapshot
from ..state import State
from . import base, caps, deductibles, mutual, social_security

Step = Callable[[Snapshot, State], None]

STEPS: tuple[Step, ...] = (
    base.run,
    social_security.run,
    deductibles.run,
    caps.run,
    mutual.run,
)

__all__ = ["STEPS", "Step"]
