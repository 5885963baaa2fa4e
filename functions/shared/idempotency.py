"""A double click or a retry creates one thing: Powertools idempotency, DynamoDB persistence.

The key is the member's own `Idempotency-Key` header scoped by operation and member, and the
request body is validated against the first use: the same key with other data is refused.

Powertools records the answer after the creation; should that record fail (the creation done,
the answer lost), a later retry would run the creation again. So each creation also writes a
marker `IDEM#<operation>#<key>` in the same transaction as what it creates: a second run finds
the marker taken and answers what the first one created. Exactly once, whatever fails when.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from shared import clock
from shared.errors import BadRequest, Conflict, ServiceUnavailable, Unprocessable
from shared.repository import get_item
from shared.settings import get_settings

M = TypeVar("M", bound=BaseModel)
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
_store: dict[str, Any] = {}


def persistence():
    """A new Powertools persistence layer on the IdempotencyTable, for one use of its own (a
    layer keeps the configuration it was first used with: its key, its expiry)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from shared.repository import dynamodb_client

    # Our own client: the same endpoint, timeouts and retries as every other table call.
    return DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table_name,
                                    boto3_client=dynamodb_client())


def _persistence():
    if "layer" not in _store:
        _store["layer"] = persistence()
    return _store["layer"]


def check_key(key: str | None) -> str:
    if not key or not _KEY.match(key):
        raise BadRequest("L'en-tête « Idempotency-Key » est manquant ou invalide : "
                         "rechargez la page et réessayez.", code="idempotency_key")
    return key


def run_once(*, operation: str, member_id: str, key: str | None, payload: dict[str, Any],
             action: Callable[[], M], output: type[M], lambda_context: Any = None) -> M:
    from aws_lambda_powertools.utilities.idempotency import (
        IdempotencyConfig,
        idempotent_function,
    )
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )
    from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import (
        PydanticSerializer,
    )

    config = IdempotencyConfig(event_key_jmespath="[operation, member, key]",
                               payload_validation_jmespath="payload",
                               raise_on_no_idempotency_key=True,
                               expires_after_seconds=24 * 3600)
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)

    done: list[M] = []

    @idempotent_function(data_keyword_argument="request", persistence_store=_persistence(),
                         config=config, output_serializer=PydanticSerializer(output))
    def once(request: dict[str, Any]) -> M:
        done.append(action())
        return done[0]

    request = {"operation": operation, "member": member_id, "key": check_key(key),
               "payload": payload}
    try:
        return once(request=request)
    except IdempotencyValidationError as exc:
        raise Unprocessable("Cette demande a déjà été envoyée avec d'autres informations. "
                            "Rechargez la page pour en faire une nouvelle.",
                            code="idempotency_mismatch") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict("Votre demande est déjà en cours d'envoi : patientez quelques "
                       "secondes puis rechargez la page.", code="in_progress") from exc
    except IdempotencyPersistenceLayerError as exc:
        if done:
            # Created, but its answer could not be recorded: it is done, say so. A retry
            # finds the creation's marker (see `marker`) and answers the same thing.
            return done[0]
        raise ServiceUnavailable() from exc


MARKER_SECONDS = 24 * 3600


def _marker_sk(operation: str, key: str) -> str:
    return f"IDEM#{operation}#{key}"


def marker(member_pk: str, operation: str, key: str | None, object_id: str) -> list[dict]:
    """The transaction operation that records `object_id` as what this key created (none
    without a key: the routes always have one, scripts may not)."""
    if not key:
        return []

    return [{"put": {"pk": member_pk, "sk": _marker_sk(operation, key), "type": "idempotency",
                     "object_id": object_id, "ttl": clock.epoch() + MARKER_SECONDS}}]


def created_before(member_pk: str, operation: str, key: str | None) -> str | None:
    """What this key already created, when a creation finds its marker taken."""
    if not key:
        return None
    item = get_item(member_pk, _marker_sk(operation, key))
    return item.get("object_id") if item else None
