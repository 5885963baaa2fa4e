"""The HTTP shell every function shares: resolver, error mapping (the only place errors become
HTTP), caller identity and the Lambda entry point."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from shared.errors import AppError, BadRequest, ServiceUnavailable
from shared.identity import Caller, caller_from_claims
from shared.observability import logger, metrics

_FIELD_MESSAGES = {
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "date attendue au format AAAA-MM-JJ",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (montant en centimes)",
    "bool_parsing": "oui/non attendu (true ou false)",
    "bool_type": "oui/non attendu (true ou false)",
    "missing": "information obligatoire",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "string_pattern_mismatch": "format non reconnu",
    "greater_than": "valeur trop petite",
    "greater_than_equal": "valeur trop petite",
    "less_than": "valeur trop grande",
    "less_than_equal": "valeur trop grande",
    "literal_error": "valeur non reconnue",
    "enum": "valeur non reconnue",
    "too_long": "trop d'éléments",
    "extra_forbidden": "champ non attendu",
    "json_invalid": "contenu JSON invalide",
    "model_attributes_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
    "list_type": "liste attendue",
    "string_type": "texte attendu",
    "value_error": "valeur invalide",
}


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        name = ".".join(loc) or "body"
        message = _FIELD_MESSAGES.get(err.get("type", ""), "valeur invalide")
        ctx_msg = (err.get("ctx") or {}).get("reason") or (err.get("ctx") or {}).get("error")
        if err.get("type") == "value_error" and isinstance(ctx_msg, str | Exception):
            message = str(ctx_msg).removeprefix("Value error, ")
        fields.setdefault(name, message)
    return fields


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body,
                    headers=headers)


def make_app() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)

    @app.exception_handler(AppError)
    def _app_error(exc: AppError) -> Response:
        if exc.status >= 500:
            logger.exception("dependency failure", extra={"code": exc.code})
        else:
            logger.info("request refused", extra={"code": exc.code, "status": exc.status})
        headers = {}
        if isinstance(exc, ServiceUnavailable):
            headers["Retry-After"] = str(exc.retry_after_seconds)
        return _json(exc.status, exc.body(), headers)

    @app.exception_handler(RequestValidationError)
    def _validation(exc: RequestValidationError) -> Response:
        fields = _field_errors(list(exc.errors()))
        names = ", ".join(f"« {k} » ({v})" for k, v in fields.items())
        err = BadRequest(f"Certaines informations sont invalides : {names}.",
                         code="invalid_input", fields=fields)
        return _json(err.status, err.body())

    @app.not_found
    def _not_found(_exc: Exception) -> Response:
        return _json(404, {"code": "not_found", "message": "Cette adresse n'existe pas."})

    @app.exception_handler(Exception)
    def _unexpected(exc: Exception) -> Response:
        logger.exception("unexpected error")
        return _json(500, AppError().body())

    return app


def caller(app: APIGatewayHttpResolver) -> Caller:
    ctx = app.current_event.request_context.authorizer
    claims = ctx.jwt_claim if ctx else None
    return caller_from_claims(claims)


def entry_point(app: APIGatewayHttpResolver):
    """Build the Lambda handler: structured logs with context, metrics flushed."""

    @logger.inject_lambda_context(clear_state=True)
    @metrics.log_metrics
    def lambda_handler(event: dict, context: Any) -> dict:
        return app.resolve(event, context)

    return lambda_handler


def idempotency_key(app: APIGatewayHttpResolver) -> str | None:
    return app.current_event.headers.get("idempotency-key")


def created(model: Any) -> Response:
    """201 with the model as JSON (the route's return annotation can't express the status)."""
    return _json(201, model.model_dump(mode="json"))


def no_content() -> Response:
    return Response(status_code=204, body="")
