"""Reads of the member's profile, contract and beneficiaries."""

from __future__ import annotations

from members.models import BeneficiaryItem, ContractItem, ProfileItem
from shared.repository import get_item, query_all


def get_profile(member_pk: str) -> ProfileItem | None:
    item = get_item(member_pk, "PROFILE")
    return ProfileItem.model_validate(item) if item else None


def list_beneficiaries(member_pk: str) -> list[BeneficiaryItem]:
    items = query_all(partition=("pk", member_pk), sort_prefix="BENEF#")
    return sorted((BeneficiaryItem.model_validate(i) for i in items), key=lambda b: b.rank)


def list_contracts(member_pk: str) -> list[ContractItem]:
    items = query_all(partition=("pk", member_pk), sort_prefix="CONTRACT#")
    return [ContractItem.model_validate(i) for i in items]


def get_benefit_iban(member_pk: str, beneficiary_id: str) -> str | None:
    item = get_item(member_pk, f"BENEF#{beneficiary_id}")
    return item.get("benefit_iban") if item else None
