"""Errors raised by the reimbursement engine.

Every error carries a stable ``code`` and a French ``message_fr`` that the page can show as
it is, saying what to fix. ``http_status`` is only a hint for the API layer.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base class: ``EngineError(code, message_fr, field=None)``."""

    http_status: int = 422

    def __init__(self, code: str, message_fr: str, field: str | None = None) -> None:
        super().__init__(message_fr)
        self.code = code
        self.message_fr = message_fr
        self.field = field

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
    """The formula id is unknown or the formula is not in force at that date."""


class InvalidBeneficiaryError(EngineError):
    """Beneficiary facts or history inconsistent with the care."""


class RulesDataError(EngineError):
    """The rules files are inconsistent: a deployment problem, not the member's."""

    http_status = 500
