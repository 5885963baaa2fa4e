"""The kinds of places, what members gain at a partner, and agencies' opening hours: what the
codes stored with each place mean, in French. Pure data and wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from support.models import GainOut


@dataclass(frozen=True)
class Kind:
    code: str
    letter: str  # in the place's id, so its id names its kind
    label: str
    plural: str
    category: str | None  # the engine's act category a visit falls under


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("agency", "a", "Agence", "agences", None),
    Kind("optician", "o", "Opticien", "opticiens", "optics"),
    Kind("dentist", "d", "Chirurgien-dentiste", "chirurgiens-dentistes", "dental_care"),
    Kind("hearing", "h", "Audioprothésiste", "audioprothésistes", "hearing"),
    Kind("osteopath", "s", "Ostéopathe", "ostéopathes", "alternative_medicine"),
    Kind("physiotherapist", "k", "Masseur-kinésithérapeute", "masseurs-kinésithérapeutes",
         "paramedical"),
    Kind("pharmacy", "p", "Pharmacie", "pharmacies", "pharmacy"),
    Kind("laboratory", "l", "Laboratoire d'analyses", "laboratoires d'analyses", "lab"),
    Kind("imaging", "r", "Centre de radiologie", "centres de radiologie", "imaging"),
    Kind("psychologist", "y", "Psychologue", "psychologues", "mental_health"),
)}
BY_LETTER = {k.letter: k for k in KINDS.values()}

# What a member gains at a partner: `tp`, `s100`, `dentalcap`, `d<percent>`, `c<cents>`.
_DISCOUNT_ON = {"optician": "les montures et les verres", "hearing": "les aides auditives"}


def gain(kind: str, code: str, brand: str) -> GainOut:
    if code == "tp":
        return GainOut(code="tiers_payant", label="Tiers payant",
                       detail=f"Vous n'avancez pas ce que la Sécurité sociale et {brand} "
                              "remboursent : présentez votre carte de tiers payant.")
    if code == "s100":
        return GainOut(code="100_sante", label="Offre 100 % Santé",
                       detail="Un équipement du panier 100 % Santé vous est proposé, sans "
                              "reste à charge.")
    if code == "dentalcap":
        return GainOut(code="negotiated_prices", label="Prix négociés sur les prothèses",
                       detail="Couronnes et bridges à des tarifs plafonnés par notre accord : "
                              "votre reste à charge est connu et maîtrisé.")
    if code.startswith("d") and code[1:].isdigit():
        return GainOut(code="discount", label=f"−{int(code[1:])} % sur "
                                              f"{_DISCOUNT_ON.get(kind, 'les équipements')}",
                       detail="Remise réservée aux adhérents, appliquée avant le calcul de "
                              "votre remboursement.")
    if code.startswith("c") and code[1:].isdigit():
        euros = int(code[1:]) // 100
        return GainOut(code="capped_price", label=f"Séance à {euros} € au plus",
                       detail="Prix négocié pour les adhérents : le tarif de la séance ne "
                              "dépasse pas ce montant.")
    raise ValueError(f"unknown gain code {code!r}")


# Agencies' weekly opening hours (Europe/Paris); days 0 = Monday. They close on public
# holidays.
HOURS_PROFILES: dict[str, dict[int, tuple[tuple[str, str], ...]]] = {
    "week": {d: (("09:00", "12:30"), ("13:30", "18:00")) for d in range(5)},
    "saturday": {**{d: (("09:30", "12:30"), ("14:00", "18:30")) for d in range(1, 5)},
                 5: (("09:00", "12:30"),)},
    "continuous": {d: (("09:00", "17:30"),) for d in range(5)},
}


def easter(year: int) -> date:
    """Easter Sunday (Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lw) // 451
    month = (h + lw - 7 * m + 114) // 31
    day = (h + lw - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def public_holidays(year: int, *, alsace_moselle: bool = False) -> frozenset[date]:
    """The public holidays of metropolitan France; Alsace and Moselle (postcodes 57, 67, 68)
    also keep Good Friday and 26 December."""
    sunday = easter(year)
    days = {date(year, 1, 1), sunday + timedelta(days=1), date(year, 5, 1), date(year, 5, 8),
            sunday + timedelta(days=39), sunday + timedelta(days=50), date(year, 7, 14),
            date(year, 8, 15), date(year, 11, 1), date(year, 11, 11), date(year, 12, 25)}
    if alsace_moselle:
        days |= {sunday - timedelta(days=2), date(year, 12, 26)}
    return frozenset(days)
