"""The working figures of one computation: each step reads the snapshot and what earlier steps
wrote here, then adds its own figures and French sentences."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class State:
    price: int  # real cost charged, in cents
    qty: int
    notes: list[str] = field(default_factory=list)
    unconfirmed: bool = False
    # base step
    base: int = 0
    base_text: str = ""
    cap_100: int | None = None  # 100 % Santé price cap for the quantity
    # Sécurité sociale step
    ss_gross: int = 0  # before participation forfaitaire and franchise
    ss_ref: int = 0  # what it would be within the care pathway (the mutuelle's reference)
    ss_text: str = ""
    out_of_pathway: bool = False
    # deductibles step
    participation: int = 0
    franchise: int = 0
    deductible_texts: list[str] = field(default_factory=list)
    # caps step: ceilings on the mutuelle's part, (amount, French label)
    caps: list[tuple[int, str]] = field(default_factory=list)
    optics_cap_cents: int = 0  # class B lenses: their share of the equipment ceiling
    # mutuelle step
    mutual: int = 0
    mutual_text: str = ""
    capped_by: str | None = None  # the ceiling that lowered the mutuelle's part, in words
    forfait_key: str | None = None
    forfait_cents: int = 0
    renewal_ok: bool = True

    @property
    def deductibles(self) -> int:
        return self.participation + self.franchise

    @property
    def ss_net(self) -> int:
        return self.ss_gross - self.participation - self.franchise

    @property
    def mutual_cap(self) -> int | None:
        return min((amount for amount, _ in self.caps), default=None)
