"""The beneficiary's cover for one care: which regime and situations apply on the care date,
and what they change in the split. Resolved once, into the snapshot; steps read it."""

from __future__ import annotations

from dataclasses import dataclass

from .models import BeneficiaryFacts, CareInput
from .rules import ActDef, ActVersion, load_rules


@dataclass(frozen=True, slots=True)
class Coverage:
    regime: str = "general"
    participation_waived: str | None = None  # French reason, e.g. « bénéficiaire de la C2S »
    franchise_waived: str | None = None
    unconfirmed: bool = False


def _waiver(kind: str, benef: BeneficiaryFacts, age: int) -> str | None:
    for exemption in load_rules().deductibles.exemptions:
        if kind not in exemption.applies_to:
            continue
        if exemption.code == "under_18" and age < 18:
            return exemption.label
        if exemption.code in benef.exemptions:
            return exemption.label
    return None


def resolve_coverage(
    care: CareInput, benef: BeneficiaryFacts, act: ActDef, version: ActVersion, age: int
) -> Coverage:
    return Coverage(
        participation_waived=_waiver("participation", benef, age) if act.participation else None,
        franchise_waived=_waiver("franchise", benef, age) if act.franchise else None,
    )
