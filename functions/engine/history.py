"""What a beneficiary already consumed: stored reimbursements rebuild it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from .money import add_months
from .rules import FranchiseKind, RenewalKind


class PastCare(BaseModel):
    """The part of a stored reimbursement the engine needs to know later."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    beneficiary_id: str
    care_date: date
    act_code: str
    practitioner_id: str | None = None
    participation_cents: StrictInt = Field(default=0, ge=0)
    franchise_cents: StrictInt = Field(default=0, ge=0)
    franchise_kind: FranchiseKind | None = None
    forfait_key: str | None = None
    forfait_cents: StrictInt = Field(default=0, ge=0)
    renewal: RenewalKind | None = None
    # Class B glasses: what the mutuelle paid, and the contrat responsable ceiling the lenses
    # of this care brought to their equipment (the purchases of one day are one equipment).
    optics_cents: StrictInt = Field(default=0, ge=0)
    optics_cap_cents: StrictInt = Field(default=0, ge=0)


class YearUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    participation_cents: int = 0
    franchise_cents: int = 0
    forfaits_cents: dict[str, int] = {}


class ForfaitUse(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    care_date: date
    cents: int


def _day_key(day: date, who: str) -> str:
    return f"{day.isoformat()}|{who}"


class History(BaseModel):
    """Aggregates per calendar year, per day and per forfait, for one beneficiary.

    Build it with ``History.from_past(past, beneficiary_id, on=care_date)``: cares after
    ``on`` and cares of other beneficiaries are ignored. When recomputing a stored
    reimbursement, leave that reimbursement out of ``past``.
    """

    model_config = ConfigDict(frozen=True)

    beneficiary_id: str
    on: date | None = None
    years: dict[int, YearUsage] = {}
    day_participation: dict[str, int] = {}  # "YYYY-MM-DD|practitioner" -> cents
    day_franchise: dict[str, int] = {}  # "YYYY-MM-DD|kind" -> cents
    forfait_uses: tuple[ForfaitUse, ...] = ()  # dated, for multi-year periods
    day_optics: dict[str, tuple[int, int]] = {}  # "YYYY-MM-DD" -> (paid, ceiling) class B
    last_optics_date: date | None = None
    last_hearing_date: date | None = None

    @classmethod
    def empty(cls, beneficiary_id: str, on: date | None = None) -> History:
        return cls(beneficiary_id=beneficiary_id, on=on)

    @classmethod
    def from_past(
        cls, past: Iterable[PastCare], beneficiary_id: str, on: date | None = None
    ) -> History:
        kept = [
            p
            for p in past
            if p.beneficiary_id == beneficiary_id and (on is None or p.care_date <= on)
        ]
        return cls._aggregate(kept, beneficiary_id, on)

    @classmethod
    def from_stored(cls, consumptions: Iterable[dict], beneficiary_id: str,
                    on: date | None = None) -> History:
        """From what reimbursements stored (`Breakdown.to_past()` as JSON)."""
        return cls.from_past((PastCare.model_validate(c) for c in consumptions if c),
                             beneficiary_id, on)

    def add(self, care: PastCare) -> History:
        """A new History with one more care (handy to replay a series of cares)."""
        if care.beneficiary_id != self.beneficiary_id:
            return self
        return History._aggregate([care], self.beneficiary_id, self.on, start=self)

    @classmethod
    def _aggregate(
        cls,
        past: list[PastCare],
        beneficiary_id: str,
        on: date | None,
        start: History | None = None,
    ) -> History:
        years: dict[int, dict] = {}
        if start is not None:
            for year, usage in start.years.items():
                years[year] = {
                    "participation_cents": usage.participation_cents,
                    "franchise_cents": usage.franchise_cents,
                    "forfaits_cents": dict(usage.forfaits_cents),
                }
        day_participation = dict(start.day_participation) if start else {}
        day_franchise = dict(start.day_franchise) if start else {}
        uses = list(start.forfait_uses) if start else []
        day_optics = dict(start.day_optics) if start else {}
        last_optics = start.last_optics_date if start else None
        last_hearing = start.last_hearing_date if start else None

        for care in past:
            year = years.setdefault(
                care.care_date.year,
                {"participation_cents": 0, "franchise_cents": 0, "forfaits_cents": {}},
            )
            year["participation_cents"] += care.participation_cents
            year["franchise_cents"] += care.franchise_cents
            if care.participation_cents and care.practitioner_id:
                key = _day_key(care.care_date, care.practitioner_id)
                day_participation[key] = day_participation.get(key, 0) + care.participation_cents
            if care.franchise_cents and care.franchise_kind:
                key = _day_key(care.care_date, care.franchise_kind)
                day_franchise[key] = day_franchise.get(key, 0) + care.franchise_cents
            if care.forfait_key and care.forfait_cents:
                forfaits = year["forfaits_cents"]
                forfaits[care.forfait_key] = forfaits.get(care.forfait_key, 0) + care.forfait_cents
                uses.append(
                    ForfaitUse(
                        key=care.forfait_key, care_date=care.care_date, cents=care.forfait_cents
                    )
                )
            if care.optics_cents or care.optics_cap_cents:
                key = care.care_date.isoformat()
                paid, ceiling = day_optics.get(key, (0, 0))
                day_optics[key] = (paid + care.optics_cents, ceiling + care.optics_cap_cents)
            if care.renewal == "optics" and (last_optics is None or care.care_date > last_optics):
                last_optics = care.care_date
            if care.renewal == "hearing" and (
                last_hearing is None or care.care_date > last_hearing
            ):
                last_hearing = care.care_date

        uses.sort(key=lambda u: (u.care_date, u.key))
        return cls(
            beneficiary_id=beneficiary_id,
            on=on,
            years={y: YearUsage(**v) for y, v in sorted(years.items())},
            day_participation=day_participation,
            day_franchise=day_franchise,
            forfait_uses=tuple(uses),
            day_optics=day_optics,
            last_optics_date=last_optics,
            last_hearing_date=last_hearing,
        )

    # --- queries used by the engine -----------------------------------------------------

    def year(self, year: int) -> YearUsage:
        return self.years.get(year, YearUsage())

    def participation_on(self, day: date, practitioner_id: str) -> int:
        return self.day_participation.get(_day_key(day, practitioner_id), 0)

    def franchise_on(self, day: date, kind: str) -> int:
        return self.day_franchise.get(_day_key(day, kind), 0)

    def optics_on(self, day: date) -> tuple[int, int]:
        """Class B glasses bought that day: (paid by the mutuelle, contrat responsable
        ceiling brought by their lenses)."""
        return self.day_optics.get(day.isoformat(), (0, 0))

    def forfait_used(
        self, key: str, period_months: int | None, on: date
    ) -> tuple[int, date | None, date | None]:
        """Used amount of a forfait in the period containing ``on``, and its bounds.

        Calendar-year forfaits use the calendar year. Multi-year forfaits use periods that
        start with the first use and last ``period_months`` (like the renewal periods);
        the next use after a period ends starts a new one.
        """
        if period_months is None:
            used = self.year(on.year).forfaits_cents.get(key, 0)
            return used, date(on.year, 1, 1), date(on.year, 12, 31)
        start: date | None = None
        used = 0
        for use in self.forfait_uses:
            if use.key != key or use.care_date > on:
                continue
            if start is None or use.care_date >= add_months(start, period_months):
                start, used = use.care_date, 0
            used += use.cents
        if start is None or on >= add_months(start, period_months):
            return 0, None, None
        end = add_months(start, period_months)
        return used, start, date.fromordinal(end.toordinal() - 1)
