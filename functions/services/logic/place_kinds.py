"""The kinds of places, what members gain at a partner, and agencies' opening hours: what the
codes stored with each place mean, in French. Pure data and wording."""

from __future__ import annotations

from dataclasses import dataclass

from services.models import GainOut


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
