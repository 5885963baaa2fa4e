"""The acknowledgement of a termination request (décret n° 2023-182 du 16 mars 2023): a
letter filed in her documents that says when the request was received, when the termination
takes effect, and what it changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.dates import PARIS, fr_date_long


@dataclass(frozen=True)
class Letter:
    brand_name: str
    brand_address: str | None
    member_name: str
    member_number: str
    contract_number: str | None
    formula_label: str
    reference: str
    received_at: datetime
    reason_label: str
    event_date: date | None
    effective_on: date
    rule: str
    source: str
    effects: tuple[str, ...]


def render(letter: Letter, *, compress: bool = True) -> bytes:
    from shared import pdf as kit

    received = letter.received_at.astimezone(PARIS)
    doc = kit.new_document(kit.Letterhead(
        brand_name=letter.brand_name, title="Accusé de réception",
        subtitle="Demande de résiliation de votre contrat santé",
        brand_address=letter.brand_address, issued_on=received.date(),
        legal_line="Accusé de réception : à conserver"), compress=compress)
    kit.info_box(doc, [
        f"Adhérent : {letter.member_name} — n° {letter.member_number}",
        f"Contrat : formule {letter.formula_label}"
        + (f", n° {letter.contract_number}" if letter.contract_number else ""),
        f"Demande n° {letter.reference}",
        f"Reçue le {fr_date_long(received.date())} à {received:%H:%M}, depuis votre espace "
        "adhérent",
    ])
    kit.heading(doc, f"Votre résiliation prend effet le {fr_date_long(letter.effective_on)}")
    reason = f"Motif : {letter.reason_label}"
    if letter.event_date:
        reason += f" (événement du {fr_date_long(letter.event_date)})"
    kit.paragraph(doc, f"{reason}.")
    kit.paragraph(doc, f"Règle appliquée : {letter.rule} ({letter.source}).")
    kit.heading(doc, "Ce que cela change")
    for line in letter.effects:
        kit.paragraph(doc, f"• {line}")
    kit.heading(doc, "Et maintenant ?")
    kit.paragraph(doc, (
        "Vous n'avez rien d'autre à faire. Un conseiller vérifie votre demande et, le cas "
        "échéant, le justificatif joint ; la gestion de la mutuelle met fin au contrat à la "
        "date ci-dessus. Vous pouvez suivre votre demande dans votre espace adhérent, "
        "rubrique « Mes demandes ». Cet accusé de réception y reste disponible dans « Mes "
        "documents »."))
    return kit.output(doc)
