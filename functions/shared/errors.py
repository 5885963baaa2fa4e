"""Domain errors and their single mapping to HTTP responses with French messages."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status = 500
    code = "internal_error"
    default_message = "Une erreur inattendue est survenue. Réessayez plus tard."

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 fields: dict[str, str] | None = None) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class BadRequest(AppError):
    status = 400
    code = "bad_request"
    default_message = "La demande est incorrecte. Vérifiez les informations saisies."


class NotFound(AppError):
    status = 404
    code = "not_found"
    default_message = "L'élément demandé est introuvable."


class Conflict(AppError):
    status = 409
    code = "conflict"
    default_message = "Ces informations ont changé entre-temps. Rechargez la page et réessayez."


class Unprocessable(AppError):
    status = 422
    code = "unprocessable"
    default_message = "La demande ne peut pas être traitée telle quelle."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    default_message = "Vous n'avez pas accès à cette fonctionnalité."


class TooManyRequests(AppError):
    """Too many attempts in a window: 429 with Retry-After (the seconds until it reopens)."""

    status = 429
    code = "too_many_attempts"
    default_message = "Trop de tentatives en peu de temps. Réessayez un peu plus tard."

    def __init__(self, message: str | None = None, *, retry_after_seconds: int = 60,
                 code: str | None = None, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, code=code, fields=fields)
        self.retry_after_seconds = max(1, int(retry_after_seconds))


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"
    default_message = (
        "Le service est momentanément indisponible. Rien n'a été enregistré : "
        "réessayez dans quelques instants."
    )
    retry_after_seconds = 5


class RuleError(Exception):
    """A business rule refused an input; the reimbursement engine's errors derive from it.

    `field` names the input the member can fix. An `internal` rule error is an inconsistency of
    our own data or code: it is logged and answered as a 500, never shown as her mistake.
    """

    internal = False

    def __init__(self, code: str, message_fr: str, field: str | None = None) -> None:
        super().__init__(message_fr)
        self.code = code
        self.message_fr = message_fr
        self.field = field
