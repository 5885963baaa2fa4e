"""Errors raised by the reimbursement engine.

Every error carries a stable ``code`` and a French ``message_fr`` that the page can show as
it is, saying what to fix. ``http_status`` is only a hint for the API layer.
"""

from __future__ import annotations

from shared.errors import RuleError


class EngineError(RuleError):
    """Base class: ``EngineError(code, message_fr, field=None)``."""

    http_status: int = 422

    @property
    def internal(self) -> bool:  # type: ignore[override]
        return self.http_status >= 500

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message_fr, "field": self.field}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message_fr!r})"


class InvalidCareError(EngineError):
    """A value of the care is out of range (price, quantity, sector...)."""


class UnknownActError(EngineError):
    """The act code is not in the catalogue."""


class ActNotAvailableError(EngineError):
    """The act exists but is not reimbursable at the care date."""


class CareDateError(EngineError):
    """The care date is outside the period the rules cover (or in the future)."""


class UnknownFormulaError(EngineError):
    """The formula id is unknown or the formula is not in force at that date: the formula comes
    from the member's contract, so this is our data's problem, not hers."""

    http_status = 500


class InvalidBeneficiaryError(EngineError):
    """Beneficiary facts or history inconsistent with the care."""


class RulesDataError(EngineError):
    """The rules files are inconsistent: a deployment problem, not the member's."""

    http_status = 500
