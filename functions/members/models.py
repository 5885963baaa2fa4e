"""What the member space shows about the member herself."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from shared.membership import Relationship


class LogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    everywhere: StrictBool = False


class PeriodOut(BaseModel):
    start: date
    end: date | None


class AldOut(PeriodOut):
    label: str


class SituationOut(BaseModel):
    """Her regime and the situations on file that change her reimbursements."""

    regime: str
    regime_label: str
    ald: list[AldOut]  # in force today or later
    c2s: PeriodOut | None  # the period in force today, if any
    ame: PeriodOut | None
    maternity: PeriodOut | None  # the maternity cover in force today or to come


class BeneficiaryOut(BaseModel):
    id: str
    first_name: str
    last_name: str
    birth_date: date
    rank: str
    relationship: Relationship
    relationship_label: str
    situation: SituationOut


class FormulaOut(BaseModel):
    id: str
    label: str


class MeOut(BaseModel):
    id: str
    member_number: str
    display_name: str
    first_name: str
    last_name: str
    email: str
    formula: FormulaOut | None
    beneficiaries: list[BeneficiaryOut]


# ------------------------------------------------------------------ login history, data export
# (« Mes connexions et mes données », logic/history.py and logic/exports.py)

DeviceKind = Literal["phone", "tablet", "computer", "unknown"]


class LoginItem(BaseModel):
    """A sign-in, as stored under MEMBER#<id> / LOGIN#<time>#<id>."""

    model_config = ConfigDict(extra="ignore")
    id: str  # derived from the token's sign-in session
    at: str  # ISO 8601, Paris offset: when she signed in
    device: str  # « Chrome sur Android »
    device_kind: DeviceKind
    ip: str | None = None  # masked: « 203.0.113.xxx »
    country: str | None = None  # ISO 3166-1 alpha-2, when CloudFront located her


class LoginOut(BaseModel):
    id: str
    at: str = Field(description="Date et heure de la connexion (ISO 8601, heure de Paris)")
    device: str = Field(description="Navigateur et système, en mots : « Chrome sur Android »")
    device_kind: DeviceKind
    ip: str | None = Field(description="Adresse IP masquée (son réseau seulement)")
    country: str | None = Field(description="Pays (code ISO 3166-1 alpha-2), inconnu : null")
    current: bool = Field(description="La connexion de cette session")


ExportStatus = Literal["preparing", "ready", "failed"]
ExportState = Literal["preparing", "ready", "failed", "expired"]


class DataExportItem(BaseModel):
    """A « télécharger mes données » export, as stored under MEMBER#<id> / EXPORT#<time>#<id>."""

    model_config = ConfigDict(extra="ignore")
    id: str
    created_at: str
    status: ExportStatus
    deadline: int  # epoch seconds: still preparing after this, it has failed
    ready_at: str | None = None
    available_until: str | None = None  # the file is offered until then
    s3_key: str | None = None
    size: int | None = None
    documents: int | None = None  # files of hers in the archive
    failure: str | None = None


class DataExportIn(BaseModel):
    """Nothing to choose: the export holds all her data."""

    model_config = ConfigDict(extra="forbid")


class DataExportOut(BaseModel):
    id: str
    status: ExportState = Field(description="preparing (en préparation), ready (prête), "
                                "failed (échec : en demander une autre), expired (expirée)")
    status_label: str
    created_at: str
    ready_at: str | None
    available_until: str | None = Field(description="Téléchargeable jusqu'à (ISO 8601)")
    size: int | None = Field(description="Taille du fichier ZIP, en octets")
    documents: int | None = Field(description="Nombre de documents joints au fichier")


class DataExportLinkOut(BaseModel):
    url: str = Field(description="Lien de téléchargement du ZIP, valable quelques minutes")
    filename: str
    expires_at: str = Field(description="Fin de validité du lien (ISO 8601)")


class ExportMessage(BaseModel):
    """What the members function hands to its export worker through the queue."""

    model_config = ConfigDict(extra="forbid")
    member_id: str
    export_id: str
