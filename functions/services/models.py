"""« Mes services »: places (agencies and partner health professionals), towns and
teleconsultations, as the API answers them and as they are stored."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Places (agencies and partner health professionals) live in the places table, by geohash
# cell and kind: one item per cell and kind lists its places as compact rows (PlaceRecord).
PlaceKind = Literal["agency", "optician", "dentist", "hearing", "osteopath", "physiotherapist",
                    "pharmacy", "laboratory", "imaging", "psychologist"]


PLACE_ROW = ("id", "name", "street", "postcode", "town", "lat", "lon", "phone", "email", "hours",
             "gains")


class PlaceRecord(BaseModel):
    """One place as stored (a row of its cell's item)."""

    model_config = ConfigDict(frozen=True)
    id: str  # <geohash 9><kind letter><n>: the cell and the kind, so a GetItem finds it
    kind: PlaceKind
    name: str
    street: str
    postcode: str
    town: str
    lat: float
    lon: float
    phone: str
    email: str | None = None  # agencies
    hours: str | None = None  # agencies: a weekly opening-hours profile
    gains: tuple[str, ...] = ()  # partners: what members gain there (codes)

    def row(self) -> list:
        return [self.id, self.name, self.street, self.postcode, self.town, self.lat, self.lon,
                self.phone, self.email, self.hours, list(self.gains)]

    @classmethod
    def from_row(cls, kind: str, row: list) -> PlaceRecord:
        return cls(kind=kind, **dict(zip(PLACE_ROW, row, strict=True)))


class TownRecord(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    postcodes: tuple[str, ...]
    lat: float
    lon: float
    population: int
    approx: bool = False

    def row(self) -> list:
        return [self.name, list(self.postcodes), self.lat, self.lon, self.population,
                int(self.approx)]

    @classmethod
    def from_row(cls, row: list) -> TownRecord:
        name, postcodes, lat, lon, population, approx = row
        return cls(name=name, postcodes=tuple(postcodes), lat=lat, lon=lon,
                   population=population, approx=bool(approx))


class OriginOut(BaseModel):
    """Where distances are measured from."""

    label: str
    lat: float
    lon: float
    approximate: bool = Field(description="Position d'une commune voisine (même code postal)")


class GainOut(BaseModel):
    code: str
    label: str
    detail: str


class HoursLineOut(BaseModel):
    days: str
    hours: str


class PlaceBase(BaseModel):
    """What the list and the place's page both show of a place."""

    id: str
    kind: PlaceKind
    kind_label: str
    name: str
    street: str
    postcode: str
    town: str
    lat: float
    lon: float


class PlaceSummary(PlaceBase):
    distance_m: int
    distance_label: str
    open_now: bool | None = Field(description="Agences : ouverte en ce moment (heure de Paris)")
    status_label: str | None = Field(description="Agences : « Ouverte jusqu'à 18 h »…")
    gains: list[GainOut]


class PlacesOut(BaseModel):
    items: list[PlaceSummary]
    total: int = Field(description="Lieux trouvés dans le rayon")
    exhaustive: bool = Field(description="Vrai quand `total` les compte tous (faux : au moins)")
    origin: OriginOut | None
    radius_km: int
    kind: PlaceKind | None
    message: str | None = Field(description="Ce qu'il faut savoir quand rien n'est trouvé")


class PlaceOut(PlaceBase):
    phone: str
    email: str | None
    open_now: bool | None
    status_label: str | None
    hours: list[HoursLineOut]
    hours_note: str | None
    gains: list[GainOut]


class TownOut(BaseModel):
    name: str
    postcode: str
    postcodes: list[str]
    label: str
    lat: float
    lon: float


class TownsOut(BaseModel):
    items: list[TownOut]


class PlaceKindOut(BaseModel):
    kind: PlaceKind
    label: str = Field(description="« Opticien »")
    plural: str = Field(description="« opticiens », dans une phrase")


class PlaceKindsOut(BaseModel):
    """The kinds of places the finder searches, in the order the page offers them."""

    items: list[PlaceKindOut]


# ----------------------------------------------------------------------------- teleconsultation
class TeleconsultationIn(BaseModel):
    """A teleconsultation with a GP: for whom, why (sent to the doctor, never kept here),
    as soon as possible or at a chosen quarter hour."""

    model_config = ConfigDict(extra="forbid")
    beneficiary_id: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=10, max_length=1000)
    when: Literal["now", "slot"] = "now"
    slot_start: str | None = Field(default=None, max_length=40,
                                   description="ISO 8601, un quart d'heure (heure de Paris)")


class TeleconsultationOut(BaseModel):
    id: str
    beneficiary_id: str
    beneficiary_name: str
    starts_at: str
    created_at: str
    status: Literal["booked", "cancelled"]
    status_label: str
    upcoming: bool
    can_join: bool
    can_cancel: bool
    join_url: str | None
    provider_label: str
    simulation: bool


class TeleconsultationItem(BaseModel):
    """Stored in her partition as TELE#<id>. The reason is not kept: it went to the doctor."""

    id: str
    member_id: str
    beneficiary_id: str
    beneficiary_name: str
    starts_at: str
    created_at: str
    status: Literal["booked", "cancelled"] = "booked"
    provider: str
    provider_ref: str
    join_url: str
    cancelled_at: str | None = None
