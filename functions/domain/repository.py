"""The shared domain's storage: the only domain module that touches the table, the bucket or
the mail service (through the kernel's table access base). Items are plain dicts here; the
domain's modules turn them into their models."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared import repository as table

BENEF_INDEX = "ByBeneficiary"


# ----------------------------------------------------------------------------- member file
def member_file(member_id: str, prefix: str) -> list[dict[str, Any]]:
    """The items of the member's partition under a sort key prefix (her file: FILE#)."""
    return table.query_all(partition=("pk", f"MEMBER#{member_id}"), sort_prefix=prefix)


def account_items(sub: str) -> list[dict[str, Any]]:
    """The items of an account without a member file (an advisor's)."""
    return table.query_all(partition=("pk", f"ACCOUNT#{sub}"))


def member_item(member_id: str, sk: str) -> dict[str, Any] | None:
    return table.get_item(f"MEMBER#{member_id}", sk)


def items_of(member_id: str, sort_keys: list[str]) -> list[dict[str, Any]]:
    """Several items of the member's partition in one call (missing ones are absent)."""
    return table.batch_get([(f"MEMBER#{member_id}", sk) for sk in sort_keys])


def put(item: dict[str, Any]) -> None:
    table.put_item(item)


def put_new(item: dict[str, Any]) -> None:
    """Create an item that must not exist yet (Conflict when it does)."""
    table.put_new(item)


def write(operations: list[dict[str, Any]]) -> None:
    """Several writes, all or nothing (the kernel's `transact` operations)."""
    table.transact(operations)


def audit_page(member_id: str, limit: int) -> list[dict[str, Any]]:
    items, _ = table.query_page(partition=("pk", f"MEMBER#{member_id}"), sort_prefix="AUDIT#",
                                limit=limit)
    return items


# ----------------------------------------------------------------------------- claims
def claim(member_pk: str, sk: str) -> dict[str, Any] | None:
    return table.get_item(member_pk, sk)


def claims_between(member_pk: str, date_from: date, date_to: date) -> list[dict[str, Any]]:
    return table.query_all(partition=("pk", member_pk),
                           sort_between=(f"CLAIM#{date_from.isoformat()}",
                                         f"CLAIM#{date_to.isoformat()}#~"))


def claims_of_beneficiary(member_pk: str, beneficiary_id: str, date_from: date,
                          date_to: date) -> list[dict[str, Any]]:
    return table.query_all(partition=("gsi1pk", f"{member_pk}#BENEF#{beneficiary_id}"),
                           sort_key_name="gsi1sk", index=BENEF_INDEX,
                           sort_between=(f"CLAIM#{date_from.isoformat()}",
                                         f"CLAIM#{date_to.isoformat()}#~"))


# ----------------------------------------------------------------------------- files
def file_exists(key: str) -> bool:
    return table.read_object(key, 0) is not None


def put_file(key: str, data: bytes, content_type: str) -> None:
    table.put_object(key, data, content_type)


def delete_file(key: str) -> None:
    table.delete_object(key)


# ----------------------------------------------------------------------------- mail
def send_email(to: str, subject: str, text: str) -> None:
    table.send_email(to, subject, text)
