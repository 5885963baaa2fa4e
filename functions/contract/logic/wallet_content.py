"""What a wallet pass shows, derived from the card (pure): the same for Apple and Google.

A valid card: what the paper card carries (the inter-AMC block, the « R » of a contrat
responsable, the holders with their birth dates and regime, the tiers payant line) and the
QR code of the public check. A card that is no more (cover ended, passes revoked at a lost
phone's sign-out): the pass is voided and shows no more than the public check would — no
name, no birth date, no member number, no QR code."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from contract.models import CardOut
from shared.dates import PARIS, fr_date


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class PassContent:
    description: str
    voided: bool
    title: str
    valid_from: date | None = None
    valid_to: date | None = None
    header: tuple[Field, ...] = ()
    primary: tuple[Field, ...] = ()
    secondary: tuple[Field, ...] = ()
    auxiliary: tuple[Field, ...] = ()
    back: tuple[Field, ...] = ()
    qr_message: str | None = None
    expires_at: str | None = None  # ISO 8601 with offset: the wallet greys it out then
    holders: tuple[str, ...] = field(default=())

    def version(self) -> str:
        """Changes exactly when what the pass shows changes."""
        raw = json.dumps(asdict(self), sort_keys=True, default=str).encode()
        return hashlib.sha256(raw).hexdigest()[:20]


def of_card(card: CardOut) -> PassContent:
    year = card.valid_to.year
    holders = tuple(f"{h.name}, né(e) le {fr_date(h.birth_date)} – {h.regime_label}"
                    for h in card.holders)
    back = [Field(f"holder{i}", f"Bénéficiaire {h.rank}", text)
            for i, (h, text) in enumerate(zip(card.holders, holders, strict=True))]
    back += [
        Field("amc", "N° AMC", card.amc_number),
        Field("convention", "Type de convention", card.convention_type),
        Field("routing", "Critère de routage", card.routing),
        Field("tp", "Professionnels de santé, tiers payant", card.tiers_payant_phone),
        Field("check", "Vérifier la validité de la carte", card.check_url),
        Field("about", "Cette carte",
              "Présentez-la avec votre carte Vitale. Elle se met à jour seule quand votre "
              "carte change (bénéficiaire ajouté, nouvelle année)."),
    ]
    return PassContent(
        description=f"Carte de tiers payant {year} – {card.brand_name}",
        voided=False, title=f"Carte de tiers payant {year}",
        valid_from=card.valid_from, valid_to=card.valid_to,
        header=(Field("valid_to", "Valable jusqu'au", fr_date(card.valid_to)),),
        primary=(Field("member", "N° d'adhérent", card.member_number),),
        secondary=(Field("amc_s", "N° AMC", card.amc_number),
                   Field("conv_s", "Convention", card.convention_type),
                   Field("routing_s", "Routage", card.routing)),
        auxiliary=(Field("validity", "Période de validité",
                         f"du {fr_date(card.valid_from)} au {fr_date(card.valid_to)}"),
                   Field("responsable", "Contrat",
                         "R – responsable" if card.responsable else "non responsable"),
                   Field("holders", "Bénéficiaires", str(len(card.holders)))),
        back=tuple(back), qr_message=card.check_url,
        expires_at=datetime.combine(card.valid_to, time(23, 59, 59), PARIS).isoformat(),
        holders=holders)


def voided(brand_name: str, reason: str) -> PassContent:
    """A pass that shows nothing of her: `reason` says why, in French."""
    return PassContent(
        description=f"Carte de tiers payant – {brand_name}", voided=True,
        title="Carte non valable",
        primary=(Field("status", "Carte", "Non valable"),),
        back=(Field("why", "Pourquoi", reason),
              Field("what", "Que faire",
                    "Supprimez cette carte de votre téléphone. Si vous êtes couvert, "
                    "ajoutez à nouveau votre carte depuis votre espace adhérent.")))
