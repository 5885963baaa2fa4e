"""The API's OpenAPI document, generated from the code of every function the template routes
to, with the error shape and the gateway's security as they really are."""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Any

from infra.local import template

ERROR_BODY = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "Machine-readable reason."},
        "message": {"type": "string",
                    "description": "French sentence to show to the member as it is."},
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "Per-field French hints, for forms."},
    },
}
# The gateway answers some errors itself, with its own body.
GATEWAY_BODY = {
    "type": "object", "required": ["message"],
    "properties": {"message": {"type": "string",
                               "description": "Réponse de la passerelle (en anglais)."}},
}
ERRORS = {
    "400": "Requête invalide (champ, format, curseur, en-tête Idempotency-Key)",
    "403": "Réservé aux adhérents (un compte conseiller n'a pas de dossier d'adhérent)",
    "404": "Introuvable, ou appartenant à un autre adhérent",
    "409": "Conflit : modifié entre-temps ou envoi déjà en cours",
    "415": "Le corps de la requête n'est pas du JSON (application/json)",
    "422": "Refusé par les règles métier (message à afficher tel quel)",
    "503": "Service momentanément indisponible, rien n'a été enregistré (Retry-After)",
}
GATEWAY_ERRORS = {
    "401": ("Jeton d'accès absent, expiré, invalide ou d'une session fermée : la passerelle "
            "répond {message}, la fonction (session fermée) {code, message}"),
    "413": "Corps de requête trop volumineux (plus de 6 Mo), refusé par la passerelle",
    # Public routes are throttled at the gateway (RouteSettings) and by attempts per person.
    "429": "Trop de demandes : réessayez dans un instant",
}


def build() -> dict[str, Any]:
    functions = str(template.ROOT / "functions")
    if functions not in sys.path:
        sys.path.insert(0, functions)
    os.environ.setdefault("TABLE_NAME", "openapi")
    modules = sorted({r.handler.rsplit(".", 1)[0] for r in template.routes()})
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Espace Adhérent API", "version": "1",
                 "description": "Every list answers {items, next}; ?cursor=next fetches the "
                                "next page. Money is integer cents, dates ISO in Europe/Paris."},
        "servers": [{"url": "/api"}],
        "security": [{"cognito": []}],
        "paths": {},
        "components": {"schemas": {"Error": ERROR_BODY, "GatewayError": GATEWAY_BODY},
                       "securitySchemes": {"cognito": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "Cognito access token (not the ID token)."},
            "sigv4": {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "x-amazon-apigateway-authtype": "awsSigv4",
            "description": "AWS Signature Version 4 (service execute-api) of the management "
                           "system's IAM identity; no token is accepted."}}},
    }
    public = {(r.method.lower(), r.path) for r in template.routes() if r.public}
    # The management system's routes: IAM-signed calls only (the gateway answers 403 else).
    signed = {(r.method.lower(), r.path) for r in template.routes()
              if r.authorizer == "AWS_IAM"}
    for module in modules:
        app = importlib.import_module(module).app
        part = json.loads(app.get_openapi_json_schema(title="part", version="1"))
        for path, operations in part["paths"].items():
            for method, operation in operations.items():
                if (method, path) in public:
                    operation["security"] = []  # reachable without signing in
                if (method, path) in signed:
                    operation["security"] = [{"sigv4": []}]
                responses = operation["responses"]
                responses.pop("422", None)  # Powertools' own shape; ours is below
                if "204" in responses:
                    responses["204"].pop("content", None)  # no body, no Content-Type
                for status, description in ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
                gateway = dict(GATEWAY_ERRORS)
                if (method, path) in signed:
                    gateway.pop("401")
                    gateway["403"] = ("Appel non signé (SigV4) par le système de gestion : "
                                      "la passerelle répond {message}")
                for status, description in gateway.items():
                    if (method, path) in public and status == "401":
                        continue
                    if status == "429" and (method, path) not in public:
                        continue
                    # The gateway answers these before the function, whatever the route's own
                    # answer with that status looks like.
                    either = {"application/json": {"schema": {"anyOf": [
                        {"$ref": "#/components/schemas/Error"},
                        {"$ref": "#/components/schemas/GatewayError"}]}}}
                    answer = responses.setdefault(status, {"description": description})
                    if status == "403" and (method, path) in signed:
                        answer["description"] = description
                    answer["content"] = either
            doc["paths"].setdefault(path, {}).update(operations)
        for name, schema in part.get("components", {}).get("schemas", {}).items():
            if name in ("HTTPValidationError", "ValidationError"):
                continue
            known = doc["components"]["schemas"].get(name)
            if known is not None and known != schema:
                # Two functions' models share a name: the document would describe one of
                # them wrongly. Name them apart.
                raise ValueError(f"two different schemas are named {name} ({module})")
            doc["components"]["schemas"][name] = schema
    return doc


if __name__ == "__main__":
    print(json.dumps(build(), ensure_ascii=False, indent=2))
