"""Storage of the contract function: contributions, the card's check code, files. Only this
module (and shared.repository) touches AWS."""

from __future__ import annotations

from botocore.exceptions import ClientError

from shared.observability import logger
from shared.repository import (
    aws_call,
    get_item,
    presigned_get,
    put_object,
    query_all,
    query_page,
    transact,
)
from shared.settings import get_settings


def contributions(member_id: str, year_from: int, year_to: int) -> list[dict]:
    return query_all(partition=("pk", f"MEMBER#{member_id}"),
                     sort_between=(f"CONTRIB#{year_from}", f"CONTRIB#{year_to}~"))


def card_check(token: str) -> dict | None:
    return get_item(f"CARDCHECK#{token}", "CARDCHECK")


def new_card_code(member_id: str, token: str, valid_from: str, valid_to: str,
                  previous: str | None) -> None:
    """The card's check code, in her file and as a public key, all or nothing; the previous
    code (last year's card) is withdrawn at once."""
    ops: list[dict] = [
        {"put": {"pk": f"CARDCHECK#{token}", "sk": "CARDCHECK", "type": "card_check",
                 "member_id": member_id, "valid_from": valid_from, "valid_to": valid_to}}]
    card = {"pk": f"MEMBER#{member_id}", "sk": "FILE#CARD", "type": "card", "token": token,
            "valid_from": valid_from, "valid_to": valid_to}
    if previous:
        ops.append({"replace": card, "expect": {"token": previous}})
        ops.append({"update": {"key": {"pk": f"CARDCHECK#{previous}", "sk": "CARDCHECK"},
                               "set": {"withdrawn": True}, "condition": ("sk", "CARDCHECK")}})
    else:
        ops.append({"put": card})
    transact(ops)


def file_link(key: str, seconds: int, filename: str, content_type: str) -> str:
    return presigned_get(key, seconds, filename=filename, content_type=content_type)


def open_requests(member_id: str) -> tuple[list[dict], str | None]:
    """Her requests about the contract still being processed (newest first)."""
    from boto3.dynamodb.conditions import Attr

    return query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="REQ#", limit=20,
                      where=Attr("kind").is_in(["beneficiary_add", "bank_details",
                                                "portability"])
                      & Attr("status").is_in(["sent", "in_progress", "info_needed"]))


# ----------------------------------------------------------------------------- payments
# A card payment is its own item, PAYMENT#<id> / PAYMENT, reached from the provider's
# notification by its id alone (our reference at the provider); it names its member. While a
# checkout is open, the instalments it pays carry a hold (pending_payment, pending_until):
# a second checkout for them cannot open, so she cannot be charged twice for one instalment.
PAYMENT_SK = "PAYMENT"


class Refused(Exception):  # noqa: N818 - a transaction whose conditions did not hold
    """Which operations of a transaction found the data changed (their indexes)."""

    def __init__(self, failed: list[int]) -> None:
        super().__init__(failed)
        self.failed = failed


def payment_pk(payment_id: str) -> str:
    return f"PAYMENT#{payment_id}"


def contribution_key(member_id: str, period: str) -> dict:
    return {"pk": f"MEMBER#{member_id}", "sk": f"CONTRIB#{period}"}


_keys: dict[str, object] = {}


def payment_keys(secret_arn: str) -> dict:
    """The provider's keys (JSON in Secrets Manager), kept five minutes by a warm container so
    that a rotated key is picked up soon."""
    from aws_lambda_powertools.utilities.parameters import SecretsProvider
    from aws_lambda_powertools.utilities.parameters.exceptions import (
        GetParameterError,
        TransformParameterError,
    )

    from shared.errors import ServiceUnavailable

    settings = get_settings()
    where = (settings.region, settings.aws_endpoint_url or "")
    if _keys.get("where") != where:
        import boto3
        from botocore.config import Config

        client = boto3.client("secretsmanager", region_name=settings.region,
                              endpoint_url=settings.aws_endpoint_url,
                              config=Config(retries={"max_attempts": 3, "mode": "standard"},
                                            connect_timeout=2, read_timeout=5))
        _keys.update(where=where, provider=SecretsProvider(boto3_client=client))
    provider = _keys["provider"]
    try:
        value = provider.get(secret_arn, max_age=300, transform="json")  # type: ignore[attr-defined]
    except (GetParameterError, TransformParameterError) as exc:
        raise ServiceUnavailable() from exc
    if not isinstance(value, dict):
        raise ServiceUnavailable()
    return value


def payment(payment_id: str) -> dict | None:
    return get_item(payment_pk(payment_id), PAYMENT_SK)


def overpayment(member_id: str, overpayment_id: str) -> dict | None:
    from domain.overpayments import sk

    return get_item(f"MEMBER#{member_id}", sk(overpayment_id), consistent=True)


def payment_file(member_id: str, periods: list[str], *, profile: bool,
                 overpayment_id: str | None = None) -> list[dict]:
    """The instalments (or the trop-perçu) a payment is for, and her profile when asked, in
    one batch read."""
    from domain.membership import PROFILE_SK
    from domain.overpayments import sk
    from shared.repository import batch_get

    keys = [(f"MEMBER#{member_id}", f"CONTRIB#{p}") for p in periods]
    if overpayment_id:
        keys.append((f"MEMBER#{member_id}", sk(overpayment_id)))
    if profile:
        keys.append((f"MEMBER#{member_id}", PROFILE_SK))
    return batch_get(keys)


def _put(item: dict) -> dict:
    from shared.repository import compact

    return {"Put": {"TableName": get_settings().table_name, "Item": compact(item),
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def _update(key: dict, *, set_: dict | None = None, remove: tuple[str, ...] = (),
            condition: str | None = None, values: dict | None = None) -> dict:
    names: dict[str, str] = {}
    vals: dict[str, object] = dict(values or {})
    parts = []
    if set_:
        for i, (name, value) in enumerate(set_.items()):
            names[f"#s{i}"], vals[f":s{i}"] = name, value
        parts.append("SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(set_))))
    if remove:
        for i, name in enumerate(remove):
            names[f"#r{i}"] = name
        parts.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove))))
    update = {"TableName": get_settings().table_name, "Key": key,
              "UpdateExpression": " ".join(parts)}
    if condition:
        update["ConditionExpression"] = condition
        for token in ("status", "paid_on", "pending_until", "pending_payment",
                      "gestion_status", "contest_request"):
            if f"#{token}" in condition:
                names[f"#{token}"] = token
    if names:
        update["ExpressionAttributeNames"] = names
    if vals:
        update["ExpressionAttributeValues"] = vals
    return {"Update": update}


def _write(operations: list[dict]) -> None:
    """One transaction; Refused names the operations whose condition failed (nothing is
    written then). Other failures are 503 (shared.repository.aws_call)."""
    from shared.errors import Conflict
    from shared.repository import dynamodb

    try:
        with aws_call():
            dynamodb().meta.client.transact_write_items(TransactItems=operations)
    except Conflict as conflict:
        cause = conflict.__cause__
        reasons = cause.response.get("CancellationReasons", []) if isinstance(
            cause, ClientError) else []
        raise Refused([i for i, r in enumerate(reasons)
                       if r.get("Code") == "ConditionalCheckFailed"] or [-1]) from conflict


def _shared_ops(ops: list[dict]) -> list[dict]:
    """shared's transaction operations ({"put": item}: the idempotency marker, an audit
    entry, a document) in DynamoDB's own form."""
    return [_put(op["put"]) for op in ops]


def open_payment(item: dict, periods: list[str], hold_until: int, now: int,
                 extra: list[dict]) -> None:
    """The payment and the holds on its instalments, all or nothing: each instalment must be
    unpaid and free (no hold, or an expired one). `extra`: the idempotency marker."""
    member_id = item["member_id"]
    ops = [_put({**item, "pk": payment_pk(item["id"]), "sk": PAYMENT_SK, "type": "payment"})]
    for period in periods:
        ops.append(_update(
            contribution_key(member_id, period),
            set_={"pending_payment": item["id"], "pending_until": hold_until},
            condition="attribute_exists(pk) AND attribute_not_exists(#paid_on) AND "
                      "(attribute_not_exists(#pending_until) OR #pending_until < :now)",
            values={":now": now}))
    if item.get("overpayment_id"):
        from domain.overpayments import key

        # Whole, once: not paid, not held by an open checkout, still asked by the mutuelle,
        # not contested.
        ops.append(_update(
            key(member_id, item["overpayment_id"]),
            set_={"pending_payment": item["id"], "pending_until": hold_until},
            condition="attribute_exists(pk) AND attribute_not_exists(#paid_on) AND "
                      "(attribute_not_exists(#pending_until) OR #pending_until < :now) AND "
                      "#gestion_status = :issued AND attribute_not_exists(#contest_request)",
            values={":now": now, ":issued": "issued"}))
    _write(ops + _shared_ops(extra))


def settle_payment(payment: dict, *, read_status: str, changes: dict, paid_on: str,
                   receipt: dict, pdf: bytes, extra: list[dict]) -> None:
    """A confirmed payment: the payment settled, each instalment paid (if still unpaid), the
    receipt filed (`receipt`: domain.documents.put_operation) and the audit entry, in one
    transaction; the receipt's file is stored first and removed again if the transaction does
    not happen."""
    from shared.repository import delete_object

    member_id = payment["member_id"]
    ops = [_update({"pk": payment_pk(payment["id"]), "sk": PAYMENT_SK}, set_=changes,
                   condition="#status = :read", values={":read": read_status})]
    for period in payment["periods"]:
        ops.append(_update(
            contribution_key(member_id, period),
            set_={"paid_on": paid_on, "payment_id": payment["id"], "paid_by": "card"},
            remove=("pending_payment", "pending_until"),
            condition="attribute_exists(pk) AND attribute_not_exists(#paid_on)"))
    if payment.get("overpayment_id"):
        from domain.overpayments import key as overpay_key

        ops.append(_update(
            overpay_key(member_id, payment["overpayment_id"]),
            set_={"paid_on": paid_on, "payment_id": payment["id"], "paid_by": "card"},
            remove=("pending_payment", "pending_until"),
            condition="attribute_exists(pk) AND attribute_not_exists(#paid_on) AND "
                      "#gestion_status = :issued", values={":issued": "issued"}))
    key = receipt["put"]["s3_key"]
    put_object(key, pdf, "application/pdf")
    try:
        _write(ops + _shared_ops([receipt, *extra]))
    except Exception:
        try:
            delete_object(key)
        except Exception:  # the bucket keeps an unreferenced file; nothing points to it
            logger.warning("could not remove an unfiled receipt", extra={"key": key})
        raise


def close_payment(payment: dict, *, read_status: str, changes: dict, release: list[str],
                  extra: list[dict] | None = None, release_overpayment: bool = False) -> None:
    """A payment ended without paying (declined, abandoned) or paid twice: its new state, and
    the holds it still has released."""
    member_id = payment["member_id"]
    ops = [_update({"pk": payment_pk(payment["id"]), "sk": PAYMENT_SK}, set_=changes,
                   condition="#status = :read", values={":read": read_status})]
    for period in release:
        ops.append(_update(contribution_key(member_id, period),
                           remove=("pending_payment", "pending_until"),
                           condition="#pending_payment = :mine",
                           values={":mine": payment["id"]}))
    if release_overpayment and payment.get("overpayment_id"):
        from domain.overpayments import key

        ops.append(_update(key(member_id, payment["overpayment_id"]),
                           remove=("pending_payment", "pending_until"),
                           condition="#pending_payment = :mine",
                           values={":mine": payment["id"]}))
    _write(ops + _shared_ops(extra or []))


def receipt_link(key: str, filename: str, seconds: int) -> str:
    return presigned_get(key, seconds, filename=filename, content_type="application/pdf")


# ----------------------------------------------------------------------------- wallet
# The card's passes (domain/wallet.py lists the items). Registrations come from Apple's
# devices; pushes recorded by the sandbox provider live a week under WALLETPUSH#<serial>.
def wallet_keys(secret_arn: str) -> dict:
    """The wallet's keys (JSON in Secrets Manager; `{}` while not configured)."""
    return payment_keys(secret_arn)


def wallet_pass(serial: str, *, consistent: bool = False) -> dict | None:
    return get_item(f"WALLET#{serial}", "PASS", consistent=consistent)


def issue_pass(item: dict, member_id: str, expiry: str | None, ttl: int,
               extra: list[dict]) -> None:
    """The pass, its place in her file and in the expiry index, all or nothing."""
    serial = item["serial"]
    ops: list[dict] = [
        {"put": {**item, "pk": f"WALLET#{serial}", "sk": "PASS", "type": "wallet_pass"}},
        {"put": {"pk": f"MEMBER#{member_id}", "sk": f"WALLET#{serial}", "type": "wallet_index",
                 "serial": serial, "kind": item["kind"]}}]
    if expiry:
        ops.append({"put": {"pk": f"WALLETEXPIRY#{expiry}", "sk": serial,
                            "type": "wallet_expiry", "member_id": member_id, "ttl": ttl}})
    transact(ops + extra)


def put_pass_file(key: str, data: bytes) -> None:
    put_object(key, data, "application/vnd.apple.pkpass")


def drop_pass_file(key: str) -> None:
    from shared.repository import delete_object

    try:
        delete_object(key)
    except Exception:  # the bucket keeps an unreferenced file; nothing points to it
        logger.warning("could not remove an unissued pass", extra={"key": key})


def pass_link(key: str, seconds: int, filename: str) -> str:
    return presigned_get(key, seconds, filename=filename,
                         content_type="application/vnd.apple.pkpass")


def register_device(serial: str, device: str, push_token: str, pass_type_id: str,
                    now: int) -> bool:
    """Apple's registration, both items at once: answers False when this device was registered
    already (its push token is replaced then)."""
    from shared.repository import transact_items

    existed = get_item(f"WALLET#{serial}", f"DEVICE#{device}") is not None
    name = get_settings().table_name
    transact_items([
        {"Put": {"TableName": name, "Item": {
            "pk": f"WALLET#{serial}", "sk": f"DEVICE#{device}", "type": "wallet_device",
            "push_token": push_token, "registered": now}}},
        {"Put": {"TableName": name, "Item": {
            "pk": f"WALLETDEVICE#{device}", "sk": serial, "type": "wallet_device_pass",
            "pass_type_id": pass_type_id}}}])
    return not existed


def unregister_device(serial: str, device: str) -> bool:
    if get_item(f"WALLET#{serial}", f"DEVICE#{device}") is None:
        return False
    transact([{"delete": {"key": {"pk": f"WALLET#{serial}", "sk": f"DEVICE#{device}"}}},
              {"delete": {"key": {"pk": f"WALLETDEVICE#{device}", "sk": serial}}}])
    return True


def device_serials(device: str) -> list[dict]:
    return query_all(partition=("pk", f"WALLETDEVICE#{device}"))


def passes(serials: list[str]) -> list[dict]:
    from shared.repository import batch_get

    return batch_get([(f"WALLET#{s}", "PASS") for s in serials]) if serials else []


def pass_devices(serial: str) -> list[dict]:
    return query_all(partition=("pk", f"WALLET#{serial}"), sort_prefix="DEVICE#")


def expiring(day: str) -> list[dict]:
    return query_all(partition=("pk", f"WALLETEXPIRY#{day}"))


def new_version(serial: str, *, version: str, updated: int, expiry: str | None,
                member_id: str, ttl: int, revoked: bool = False) -> None:
    """A pass whose content changed: its new version, a push to send, and its place in the
    expiry index of its new end (the old index item expires by itself)."""
    from shared.repository import put_item

    changes: dict = {"version": version, "updated": updated, "push_pending": True,
                     "valid_to": expiry}
    if revoked:
        changes["revoked"] = True
    transact([{"update": {"key": {"pk": f"WALLET#{serial}", "sk": "PASS"}, "set": changes,
                          "condition": ("sk", "PASS")}}])
    if expiry:
        put_item({"pk": f"WALLETEXPIRY#{expiry}", "sk": serial, "type": "wallet_expiry",
                  "member_id": member_id, "ttl": ttl})


def pushed(serial: str) -> None:
    """The push is sent: the stream hands the pass over no more."""
    from shared.repository import table

    with aws_call():
        table().update_item(Key={"pk": f"WALLET#{serial}", "sk": "PASS"},
                            UpdateExpression="REMOVE push_pending",
                            ConditionExpression="attribute_exists(pk)")


def record_wallet_push(entry: dict) -> None:
    import uuid

    from shared import clock
    from shared.repository import put_item

    now = clock.now()
    put_item({**entry, "pk": f"WALLETPUSH#{entry['serial']}",
              "sk": f"{now.isoformat()}#{uuid.uuid4().hex[:8]}", "type": "wallet_push",
              "at": now.isoformat(), "ttl": int(now.timestamp()) + 7 * 86400})


def wallet_pushes(serial: str) -> list[dict]:
    return query_all(partition=("pk", f"WALLETPUSH#{serial}"))
