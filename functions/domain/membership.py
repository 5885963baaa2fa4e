"""What every function knows about a member, read in one Query: her profile, her contracts
(and the one active on a date) and her beneficiaries (with their age on a date).

The member's file lives under `MEMBER#<id>` with sort keys `FILE#PROFILE`,
`FILE#CONTRACT#<id>` and `FILE#BENEF#<id>`, so that one `begins_with(FILE#)` reads it whole
and never touches her reimbursements, requests or documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain import repository
from domain.situation import Situation
from shared import clock
from shared.dates import age_on
from shared.errors import NotFound, Unprocessable

Relationship = Literal["member", "spouse", "child", "other"]
RELATIONSHIP_LABELS: dict[str, str] = {
    "member": "Titulaire du contrat", "spouse": "Conjoint ou partenaire", "child": "Enfant",
    "other": "Autre ayant droit"}
FILE = "FILE#"
PROFILE_SK = "FILE#PROFILE"
CONTRACT_PREFIX = "FILE#CONTRACT#"


def contract_sk(contract_id: str) -> str:
    return f"FILE#CONTRACT#{contract_id}"


def beneficiary_sk(beneficiary_id: str) -> str:
    return f"FILE#BENEF#{beneficiary_id}"


class PostalAddress(BaseModel):
    """A French postal address (lines of 38 characters at most, as La Poste prints them)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    line1: str
    line2: str | None = None
    postcode: str
    city: str
    country: str = "France"


class Channels(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    email: bool = False
    sms: bool = False
    post: bool = False


class ContactPreferences(BaseModel):
    """How she wants to hear from the mutuelle: news and offers (opt-in), and her
    reimbursements."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    news: Channels = Channels()
    reimbursements: Channels = Channels(email=True)


class Profile(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    member_id: str
    first_name: str
    last_name: str
    email: str
    address: PostalAddress | None = None
    phone: str | None = None  # « 06 12 34 56 78 »
    preferences: ContactPreferences = ContactPreferences()
    version: int = 1


class Portability(BaseModel):
    """Cover kept after the end of an employment contract (CSS L911-8)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    start: date
    end: date


class Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    formula_id: str
    formula_label: str
    start_date: date
    end_date: date | None = None
    number: str | None = None  # the contract's number, as on her documents
    collective: bool = False  # an employer's contract (portabilité applies)
    employer: str | None = None
    responsable: bool = True  # contrat responsable (the « R » of the card)
    contribution_iban: str | None = Field(default=None, repr=False)
    contribution_holder: str | None = None
    portability: Portability | None = None

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Noemie(BaseModel):
    """The NOEMIE link of a beneficiary: the Sécurité sociale sends her reimbursements to the
    mutuelle by itself (the management system says whether it is active, and since when)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    active: bool = False
    since: date | None = None


class Beneficiary(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    first_name: str
    last_name: str
    birth_date: date
    rank: str
    relationship: Relationship
    nir: str | None = Field(default=None, repr=False)
    benefit_iban: str | None = Field(default=None, repr=False)
    situation: Situation = Situation()
    noemie: Noemie | None = None  # None: not known (the management system has not said)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def relationship_label(self) -> str:
        return RELATIONSHIP_LABELS[self.relationship]

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


@dataclass(frozen=True)
class MemberContext:
    profile: Profile
    contracts: tuple[Contract, ...]
    beneficiaries: dict[str, Beneficiary]  # by id, in rank order
    on: date

    @property
    def member_id(self) -> str:
        return self.profile.member_id

    @property
    def member_pk(self) -> str:
        return f"MEMBER#{self.profile.member_id}"

    @property
    def member_name(self) -> str:
        return f"{self.profile.first_name} {self.profile.last_name}"

    @property
    def contract(self) -> Contract | None:
        """The contract active on `on` (the latest started, if several)."""
        active = [c for c in self.contracts if c.active_on(self.on)]
        return max(active, key=lambda c: c.start_date, default=None)

    def active_contract(self) -> Contract:
        contract = self.contract
        if contract is None:
            raise NotFound("Aucun contrat en cours n'a été trouvé pour votre compte. "
                           "Contactez votre mutuelle.", code="no_contract")
        return contract

    def beneficiary(self, beneficiary_id: str, field: str = "beneficiary_id") -> Beneficiary:
        found = self.beneficiaries.get(beneficiary_id)
        if found is None:
            raise Unprocessable("Ce bénéficiaire ne figure pas sur votre contrat. Choisissez "
                                "une personne de la liste.", code="unknown_beneficiary",
                                fields={field: "bénéficiaire inconnu"})
        return found


_read: dict[str, list[dict]] = {}


def load_file(member_id: str) -> list[dict]:
    """The items of the member's file, read once per invocation (see `forget`)."""
    if member_id not in _read:
        _read[member_id] = repository.member_file(member_id, FILE)
    return _read[member_id]


def remember(member_id: str, items: list[dict]) -> None:
    """Items of the member's file read by a wider Query (saves reading them again)."""
    _read[member_id] = [i for i in items if i.get("sk", "").startswith(FILE)]


def forget() -> None:
    """Start an invocation afresh: nothing read for an earlier request is reused."""
    _read.clear()


def member_context(member_id: str, on: date | None = None) -> MemberContext:
    """The member's file as of `on` (today in Paris by default)."""
    items = load_file(member_id)
    profile = next((Profile.model_validate(i) for i in items if i["sk"] == PROFILE_SK), None)
    if profile is None:
        raise NotFound("Votre dossier d'adhérent est introuvable. Contactez votre mutuelle.",
                       code="no_member_file")
    contracts = tuple(Contract.model_validate(i) for i in items
                      if i["sk"].startswith(CONTRACT_PREFIX))
    beneficiaries = sorted((Beneficiary.model_validate(i) for i in items
                            if i["sk"].startswith("FILE#BENEF#")), key=lambda b: b.rank)
    return MemberContext(profile=profile, contracts=contracts,
                         beneficiaries={b.id: b for b in beneficiaries},
                         on=on or clock.today())


def contract_item(member_pk: str, contract: Contract) -> dict:
    return {**contract.model_dump(mode="json", exclude_none=True), "pk": member_pk,
            "sk": contract_sk(contract.id), "type": "contract"}


def beneficiary_item(member_pk: str, beneficiary: Beneficiary) -> dict:
    return {**beneficiary.model_dump(mode="json", exclude_none=True), "pk": member_pk,
            "sk": beneficiary_sk(beneficiary.id), "type": "beneficiary"}


def file_items(member_pk: str, profile: Profile, contracts: list[Contract],
               beneficiaries: list[Beneficiary]) -> list[dict]:
    """The stored items of a member's file (for creating one: the seed, an enrolment)."""
    items = [{**profile.model_dump(mode="json", exclude_none=True), "pk": member_pk,
              "sk": PROFILE_SK, "type": "profile"}]
    items += [contract_item(member_pk, c) for c in contracts]
    items += [beneficiary_item(member_pk, b) for b in beneficiaries]
    return items
