"""Strict input types and the checks every request body passes before any route sees it.

Bad input is a clear 4xx and changes nothing: a body that is not JSON (415), not an object,
nested too deep, or not valid JSON (400); a date that is not written AAAA-MM-JJ (a number would
otherwise read as a Unix time: `?on=0` as 1 January 1970).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

MAX_DEPTH = 16
_ISO_DATE = re.compile(r"^(19\d\d|20\d\d|2100)-\d{2}-\d{2}$")


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("date attendue au format AAAA-MM-JJ")


def _in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError("date hors des limites (1900-01-01 à 2100-12-31)")
    return value


# Any date a client sends: written AAAA-MM-JJ, within a sane range.
IsoDate = Annotated[date, BeforeValidator(_iso_date_only), AfterValidator(_in_range),
                    Field(json_schema_extra={"pattern": _ISO_DATE.pattern,
                                             "description": "AAAA-MM-JJ, de 1900 à 2100"})]


def _integral(value: Any) -> Any:
    """A JSON integer: 12 or 12.0 (JSON Schema's integers), never "12" nor true."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("nombre entier attendu")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("nombre entier attendu (montant en centimes)")
        return int(value)
    return value


Integer = Annotated[int, BeforeValidator(_integral)]


class BodyError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _depth(text: str) -> int:
    """Deepest nesting of a JSON text, without parsing it (parsing may recurse too deep)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_body(event: dict[str, Any]) -> None:
    """Refuse a request body the API does not take, before routing. Raises BodyError."""
    body = event.get("body")
    if not body:
        return
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise BodyError(400, "invalid_body", "Le contenu envoyé est illisible.") from None
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    media_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise BodyError(415, "unsupported_media_type",
                        "Le contenu doit être envoyé au format JSON (application/json).")
    if _depth(body) > MAX_DEPTH:
        raise BodyError(400, "invalid_body", "Le contenu JSON est trop imbriqué.")
    try:
        parsed = json.loads(body)
    except ValueError:
        raise BodyError(400, "invalid_body", "Le contenu JSON est invalide.") from None
    if not isinstance(parsed, dict):
        raise BodyError(400, "invalid_body", "Le contenu doit être un objet JSON.")
