"""What the member space shows about the member herself."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from domain.membership import Relationship
from members.rules import (
    clean_text,
    email_address,
    french_phone,
    french_postcode,
    member_number,
    one_time_code,
    required_text,
)
from shared.inputs import Integer, IsoDate


class LogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    everywhere: StrictBool = False


# ------------------------------------------------------------------ « Mes infos perso »
# La Poste prints 38 characters a line; a town's name may be longer (written out in full).
AddressLine = Annotated[str, Field(min_length=1, max_length=38), BeforeValidator(required_text)]
OptionalLine = Annotated[Annotated[str, Field(max_length=38)] | None,
                         BeforeValidator(clean_text)]
Town = Annotated[str, Field(min_length=1, max_length=50), BeforeValidator(required_text)]
Postcode = Annotated[str, AfterValidator(french_postcode), Field(
    description="Code postal français (5 chiffres)",
    json_schema_extra={"pattern": "^[0-9]{5}$", "minLength": 5, "maxLength": 5})]
Phone = Annotated[Annotated[str, Field(max_length=20)] | None, BeforeValidator(clean_text),
                  AfterValidator(french_phone),
                  Field(description="Numéro français : 06 12 34 56 78, 01 23 45 67 89 ou "
                                    "+33 6 12 34 56 78 (vide : aucun)")]
Email = Annotated[str, Field(min_length=6, max_length=254,
                             description="Adresse e-mail (nom@exemple.fr)"),
                  AfterValidator(email_address)]
Code = Annotated[str, Field(min_length=6, max_length=12, description="Code à 6 chiffres reçu "
                            "par e-mail"), AfterValidator(one_time_code)]
# The pool's policy (template.yaml: 12 characters at least); Cognito checks the rest.
NewPassword = Annotated[str, Field(min_length=12, max_length=256,
                                   description="12 caractères au moins")]
Password = Annotated[str, Field(min_length=1, max_length=256)]
MemberNumber = Annotated[str, Field(min_length=6, max_length=20,
                                    description="Numéro d'adhérent (sur la carte de tiers "
                                                "payant)"),
                         AfterValidator(member_number)]


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line1: AddressLine = Field(description="Numéro et voie")
    line2: OptionalLine = Field(default=None, description="Complément (bâtiment, étage...)")
    postcode: Postcode
    city: Town


class ChannelsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: StrictBool
    sms: StrictBool
    post: StrictBool


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    news: ChannelsIn = Field(description="Actualités et offres de la mutuelle")
    reimbursements: ChannelsIn = Field(description="Avis de remboursement")


class ProfileIn(BaseModel):
    """Her contact details as she edits them, with the version she read (a stale version
    changes nothing: 409)."""

    model_config = ConfigDict(extra="forbid")
    version: Annotated[Integer, Field(ge=1, le=1_000_000)]
    address: AddressIn
    phone: Phone = None
    preferences: PreferencesIn


class AddressOut(BaseModel):
    line1: str
    line2: str | None
    postcode: str
    city: str
    country: str


class ChannelsOut(BaseModel):
    email: bool
    sms: bool
    post: bool


class PreferencesOut(BaseModel):
    news: ChannelsOut
    reimbursements: ChannelsOut


class PendingEmailOut(BaseModel):
    email: str
    expires_at: str


class ProfileOut(BaseModel):
    member_number: str
    first_name: str
    last_name: str
    email: str
    address: AddressOut | None
    phone: str | None
    preferences: PreferencesOut
    version: int
    pending_email: PendingEmailOut | None  # a new address waiting for its code


class EmailChangeIn(BaseModel):
    """A new address, confirmed with her password: with a stolen session alone, an address
    (and then « mot de passe oublié » on it) would give the account away."""
    model_config = ConfigDict(extra="forbid")
    email: Email
    password: str = Field(min_length=1, max_length=256)


class EmailCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Code


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: Password
    new_password: NewPassword


class PasswordChangedOut(BaseModel):
    signed_out_everywhere: bool  # every session ended, this one too: sign in again
    message: str


# ------------------------------------------------------------------ public: the account
class SignupIn(BaseModel):
    """« Je n'ai pas encore de compte »: who she is, as on her card and in her file."""

    model_config = ConfigDict(extra="forbid")
    member_number: MemberNumber
    birth_date: IsoDate
    email: Email


class SignupConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_number: MemberNumber
    code: Code
    password: NewPassword


class ResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email


class ResetConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email
    code: Code
    new_password: NewPassword


class CodeSentOut(BaseModel):
    """The same answer whatever was found: it never says whether an account or a member
    exists."""

    message: str
    expires_in_minutes: int


class AccountCreatedOut(BaseModel):
    email: str
    message: str


class PasswordResetOut(BaseModel):
    message: str


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
    access: AccessOut
    # An account may have no member file (a trusted person with no contract of her own).
    has_file: bool = True
    acting_for: list[ActingForOut] = []  # active procurations she received


class AccessOut(BaseModel):
    """Whether her space is open: once her cover has ended, only her documents, statements and
    data export remain (domain.access), and the site says so instead of showing errors."""

    closed: bool
    ended_on: date | None  # the last day of her cover, once it has ended
    readable_until: date | None  # documents and statements remain until then
    message: str | None


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


class SessionOut(BaseModel):
    id: str = Field(description="Identifiant de la session (celui de « Mes connexions »)")
    device: str = Field(description="Navigateur et système, en mots : « Chrome sur Android »")
    device_kind: DeviceKind
    country: str | None = Field(default=None,
                                description="Pays (code ISO 3166-1 alpha-2), inconnu : null")
    started_at: str = Field(description="Début de la session (ISO 8601, heure de Paris)")
    current: bool = Field(description="La session de cet appareil")


class OpeningOut(BaseModel):
    at: str = Field(description="Date et heure de l'ouverture (ISO 8601, heure de Paris)")
    advisor: str = Field(description="Le conseiller : prénom et initiale, « Camille R. »")
    why: str = Field(description="Pourquoi : « Pour votre demande DR-… », « Motif : … »")
    kind: Literal["request", "thread", "attachment", "file"]


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


# ------------------------------------------------------------------ procurations
# (« Mes procurations », logic/procurations.py; the rules are domain.procurations')
PersonName = Annotated[str, Field(min_length=1, max_length=50), BeforeValidator(required_text)]
InvitationCode = Annotated[str, Field(min_length=8, max_length=12, pattern=r"^[A-Za-z0-9 -]+$",
                                      description="Code à 8 caractères reçu par e-mail")]
InvitationId = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_-]+$",
                                    description="Identifiant de l'invitation (dans le lien "
                                                "reçu)")]
ProcurationScope = Literal["read", "act"]
ProcurationStatus = Literal["invited", "active", "ended"]


class ProcurationIn(BaseModel):
    """A trusted adult invited to act for her: who, what she may do, until when."""

    model_config = ConfigDict(extra="forbid")
    first_name: PersonName
    last_name: PersonName
    email: Email
    scope: ProcurationScope = Field(description="read : consulter ; act : consulter et envoyer "
                                                "des demandes et des messages")
    until: IsoDate = Field(description="Dernier jour (12 mois au plus après aujourd'hui)")


class ProcurationOut(BaseModel):
    id: str
    status: ProcurationStatus
    scope: ProcurationScope
    scope_label: str
    until: date
    created_at: str
    started_at: str | None = None
    ended_at: str | None = None
    end_reason: str | None = None
    end_label: str | None = None
    grantee_name: str | None = None  # in « given »
    grantee_email: str | None = None  # in « given »
    principal_name: str | None = None  # in « received »


class ProcurationsOut(BaseModel):
    given: list[ProcurationOut]
    received: list[ProcurationOut]


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    invitation: InvitationId
    code: InvitationCode


class ProcurationAccountIn(BaseModel):
    """An account with no contract of its own, made from an invitation (the code proves the
    address)."""

    model_config = ConfigDict(extra="forbid")
    invitation: InvitationId
    code: InvitationCode
    email: Email
    password: NewPassword


class ActingForOut(BaseModel):
    id: str
    principal_name: str
    scope: ProcurationScope
    until: date
