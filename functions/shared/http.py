"""The HTTP shell every function shares: the resolver, the one place errors become HTTP, the
caller as a dependency, pages, idempotent creation, and the Lambda entry point.

A function's handler is a few lines: `app = make_app(routers...)`, `lambda_handler =
entry_point(app)`, both from `domain.app` (which gives the entry point the domain's caller
check). A route is a function in its module's `Router`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel

from shared.errors import (
    AppError,
    BadRequest,
    RuleError,
    ServiceUnavailable,
    TooManyRequests,
    Unprocessable,
)
from shared.identity import Caller, caller_from_claims
from shared.inputs import BodyError, check_body
from shared.observability import flush_events, logger

__all__ = ["AccessToken", "Caller", "CurrentCaller", "Cursor", "IdempotencyKey", "Limit",
           "Page", "PathId", "Router", "created", "created_as", "create_once", "entry_point",
           "make_app", "no_content"]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class Page(BaseModel, Generic[T]):
    """Every list answers {items, next}; `?cursor=<next>` fetches the next page."""

    items: list[T]
    next: str | None = None


Limit = Annotated[int, Query(ge=1, le=100, description="Taille de la page")]
Cursor = Annotated[str | None, Query(max_length=2000, description="Curseur `next` reçu")]
PathId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,60}$",
                            description="Identifiant (lettres, chiffres, - et _)")]
IdempotencyKey = Annotated[str, Header(
    alias="Idempotency-Key", pattern=r"^[A-Za-z0-9_-]{8,128}$",
    description="Clé unique par envoi (8 à 128 lettres, chiffres, - ou _) : un double envoi "
    "crée une seule chose et rejoue la première réponse.")]


def bearer_token(request: Request) -> str:
    """The caller's raw access token (for the rare call made on her behalf, such as Cognito's
    GlobalSignOut)."""
    return (request.headers.get("authorization") or "").removeprefix("Bearer ").strip()


AccessToken = Annotated[str, Depends(bearer_token)]


def current_caller(request: Request) -> Caller:
    """The verified caller, once the entry point's check (a closed session, say) has passed.
    The check sees the request's headers and route key and may answer another Caller (someone
    acting for a member, as the domain decides): that one is the caller then."""
    event = request.resolved_event
    ctx = event.request_context.authorizer
    caller = caller_from_claims(ctx.jwt_claim if ctx else None)
    headers = {k.lower(): v for k, v in (event.headers or {}).items()}
    route_key = event.raw_event.get("routeKey", "")
    checked = request.context[_CHECK_CALLER](caller, headers, route_key)
    return checked if checked is not None else caller


CurrentCaller = Annotated[Caller, Depends(current_caller)]

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
    "int_type_strict": "nombre entier attendu",
    "enum": "valeur non reconnue",
    "too_long": "trop d'éléments",
    "too_short": "pas assez d'éléments",
    "extra_forbidden": "champ non attendu",
    "json_invalid": "contenu JSON invalide",
    "model_attributes_type": "objet JSON attendu",
    "model_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
    "list_type": "liste attendue",
    "string_type": "texte attendu",
    "value_error": "valeur invalide",
}
# Engine inputs that the API nests differently.
_RULE_FIELDS = {"sector": "practitioner.sector", "optam": "practitioner.optam"}


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in errors:
        where = (err.get("loc") or ("",))[0]
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        name = ".".join(loc) or "body"
        if where == "header":  # headers arrive lower-cased: name them as documented
            name = "-".join(part.capitalize() for part in name.split("-"))
        message = _FIELD_MESSAGES.get(err.get("type", ""), "valeur invalide")
        expected = (err.get("ctx") or {}).get("expected")
        if err.get("type") in ("literal_error", "enum") and expected:
            message = f"valeur non reconnue (attendu : {expected.replace(' or ', ' ou ')})"
        ctx_msg = (err.get("ctx") or {}).get("reason") or (err.get("ctx") or {}).get("error")
        if err.get("type") == "value_error" and isinstance(ctx_msg, str | Exception):
            message = str(ctx_msg).removeprefix("Value error, ")
        fields.setdefault(name, message)
    return fields


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body,
                    headers=headers)


def error_response(exc: AppError) -> Response:
    if exc.status >= 500:
        logger.exception("dependency failure", extra={"code": exc.code})
    else:
        logger.info("request refused", extra={"code": exc.code, "status": exc.status})
    headers = {}
    if isinstance(exc, ServiceUnavailable | TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return _json(exc.status, exc.body(), headers)


def make_app(*routers: Router) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)

    @app.exception_handler(AppError)
    def _app_error(exc: AppError) -> Response:
        return error_response(exc)

    @app.exception_handler(RuleError)
    def _rule_error(exc: RuleError) -> Response:
        if exc.internal:
            logger.exception("rules inconsistency", extra={"code": exc.code})
            return _json(500, AppError().body())
        field = _RULE_FIELDS.get(exc.field or "", exc.field)
        return error_response(Unprocessable(exc.message_fr, code=exc.code,
                                            fields={field: exc.message_fr} if field else None))

    @app.exception_handler(RequestValidationError)
    def _validation(exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        if errors and all(err.get("loc", ("",))[0] == "path" for err in errors):
            # An id that cannot exist designates nothing: not found, like a missing one.
            return _json(404, {"code": "not_found", "message": "Cette adresse n'existe pas."})
        fields = _field_errors(errors)
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

    for router in routers:
        app.include_router(router)
    return app


_CHECK_CALLER = "check_caller"


def entry_point(app: APIGatewayHttpResolver, *,
                check_caller: Callable[[Caller, dict[str, str], str], Caller | None],
                on_invocation: Callable[[], None]):
    """Build the Lambda handler: structured logs with context, metrics flushed, and personal
    data never cached, whatever the environment. The kernel knows no member: the domain says
    how a caller is checked (`check_caller`, on every authenticated route) and what an
    invocation starts afresh (`on_invocation`); handlers get both from `domain.app`."""

    @logger.inject_lambda_context(clear_state=True)
    def lambda_handler(event: dict, context: Any) -> dict:
        try:
            check_body(event)
        except BodyError as refused:
            logger.info("request refused", extra={"code": refused.code,
                                                  "status": refused.status})
            return {"statusCode": refused.status, "isBase64Encoded": False,
                    "headers": {"Content-Type": "application/json",
                                "Cache-Control": "no-store"},
                    "body": json.dumps({"code": refused.code, "message": refused.message},
                                       ensure_ascii=False)}
        app.append_context(lambda_context=context, **{_CHECK_CALLER: check_caller})
        on_invocation()
        try:
            result = app.resolve(event, context)
        finally:
            flush_events()
        result.setdefault("headers", {})["Cache-Control"] = "no-store"
        return result

    return lambda_handler


def created(model: BaseModel) -> Response:
    """201 with the model as JSON (a route's return annotation can't express the status)."""
    return _json(201, model.model_dump(mode="json"))


def created_as(model: type[BaseModel], description: str) -> dict:
    """OpenAPI: the 201 answer of a creating route."""
    return {201: {"description": description, "content": {"application/json": {"model": model}}}}


def no_content() -> Response:
    return Response(status_code=204, body="")


def create_once(router: Router, *, who: Caller, operation: str, key: str | None,
                body: BaseModel, output: type[M], create: Callable[[], M]) -> Response:
    """Create at most once per Idempotency-Key: a replay answers the first result (201)."""
    from shared.idempotency import run_once

    return created(run_once(operation=operation, member_id=who.member_pk, key=key,
                            payload=body.model_dump(mode="json"), output=output, action=create,
                            lambda_context=router.context.get("lambda_context")))
