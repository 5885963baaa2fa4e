"""What the member space shows about the member themself."""

from __future__ import annotations

from members import repository
from members.models import RELATIONSHIP_LABELS, BeneficiaryOut, FormulaOut, MeOut
from shared.dates import today_paris
from shared.errors import NotFound
from shared.identity import Caller


def display_name(first_name: str, last_name: str) -> str:
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def get_me(caller: Caller) -> MeOut:
    profile = repository.get_profile(caller.member_pk)
    if profile is None:
        raise NotFound("Votre dossier d'adhérent est introuvable. Contactez votre mutuelle.")
    today = today_paris()
    active = [c for c in repository.list_contracts(caller.member_pk)
              if c.start_date <= today and (c.end_date is None or c.end_date >= today)]
    contract = max(active, key=lambda c: c.start_date, default=None)
    return MeOut(
        id=profile.member_id,
        member_number=profile.member_id,
        display_name=display_name(profile.first_name, profile.last_name),
        first_name=profile.first_name,
        last_name=profile.last_name,
        email=profile.email,
        formula=FormulaOut(id=contract.formula_id, label=contract.formula_label)
        if contract else None,
        beneficiaries=[
            BeneficiaryOut(**b.model_dump(), relationship_label=RELATIONSHIP_LABELS[b.relationship])
            for b in repository.list_beneficiaries(caller.member_pk)
        ],
    )
