"""The membership attestation (attestation d'adhésion) as a PDF, drawn with the shared kit:
who is covered, by which contract and formula, for which period, with the verification code
and a QR code to the public check. Pure: facts in, bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from shared import pdf as kit
from shared.dates import fr_date, fr_date_long

LEGAL_LINE = "Attestation délivrée pour servir et valoir ce que de droit"


@dataclass(frozen=True)
class Person:
    name: str
    relationship_label: str
    birth_date: date


@dataclass(frozen=True)
class AttestationFacts:
    brand_name: str
    brand_address: str | None
    member_name: str
    member_number: str
    contract_number: str
    formula_label: str
    member_since: date
    employer: str | None
    responsable: bool
    people: list[Person]
    one_beneficiary: bool
    valid_from: date
    valid_until: date
    issued_on: date
    code: str  # as printed
    check_url: str  # what the QR code says
    check_page: str  # the page's address, printed for those who type it


def qr_png(text: str) -> io.BytesIO:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=2)
    out.seek(0)
    return out


def render(facts: AttestationFacts, *, compress: bool = True) -> bytes:
    doc = kit.new_document(kit.Letterhead(
        brand_name=facts.brand_name, brand_address=facts.brand_address,
        title="Attestation d'adhésion", subtitle=f"Code de vérification : {facts.code}",
        issued_on=facts.issued_on, legal_line=LEGAL_LINE,
        running_header=f"{facts.brand_name} — Attestation d'adhésion {facts.code}"),
        compress=compress)
    who = ("la personne désignée ci-dessous est couverte" if len(facts.people) == 1
           else "les personnes désignées ci-dessous sont couvertes")
    kit.paragraph(doc, f"{facts.brand_name} atteste que {who} par le contrat de complémentaire "
                       f"santé décrit ci-après, du {fr_date_long(facts.valid_from)} au "
                       f"{fr_date_long(facts.valid_until)}.", size=10.5, height=6)
    doc.ln(3)
    rows = [f"Titulaire du contrat : {facts.member_name} — n° d'adhérent {facts.member_number}",
            f"Contrat n° {facts.contract_number} — formule {facts.formula_label}"
            f"{' (contrat responsable)' if facts.responsable else ''}",
            f"Adhésion depuis le {fr_date(facts.member_since)}"]
    if facts.employer:
        rows.append(f"Contrat collectif souscrit par l'employeur : {facts.employer}")
    rows.append(f"Période de couverture attestée : du {fr_date(facts.valid_from)} au "
                f"{fr_date(facts.valid_until)}")
    kit.info_box(doc, rows)
    table = kit.Table(doc, [kit.Column("Nom et prénom", 80), kit.Column("Qualité", 60),
                            kit.Column("Date de naissance", 50)])
    table.section("Bénéficiaire couvert" if facts.one_beneficiary else "Personnes couvertes",
                  [[p.name, p.relationship_label, fr_date(p.birth_date)]
                   for p in facts.people])
    doc.ln(4)
    kit.paragraph(doc, f"Cette attestation est valable jusqu'au {fr_date_long(facts.valid_until)}"
                       f", sauf si elle est révoquée en ligne ou si le contrat prend fin avant "
                       f"cette date.", size=9.5)
    kit.keep_together(doc, 60)
    doc.ln(4)
    kit.heading(doc, "Vérifier cette attestation")
    top = doc.y
    doc.image(qr_png(facts.check_url), x=doc.l_margin, y=top, w=38, h=38)
    doc.set_xy(doc.l_margin + 44, top)
    kit.paragraph(doc, "Toute personne à qui cette attestation est présentée peut vérifier, "
                       "sans compte, qu'elle est authentique et toujours valable : en "
                       "scannant ce QR code, ou sur la page", size=9.5)
    doc.set_x(doc.l_margin + 44)
    kit.paragraph(doc, facts.check_page, size=9.5)
    doc.set_x(doc.l_margin + 44)
    kit.paragraph(doc, "avec le code de vérification :", size=9.5)
    doc.set_x(doc.l_margin + 44)
    doc.set_font(kit.FONT, "B", 14)
    doc.cell(0, 9, facts.code, new_x="LMARGIN", new_y="NEXT")
    doc.set_x(doc.l_margin + 44)
    kit.paragraph(doc, "La vérification indique seulement si l'attestation est valable, ses "
                       "dates et les initiales des personnes couvertes.", size=8.5)
    doc.set_y(max(doc.y, top + 40))
    return kit.output(doc)
