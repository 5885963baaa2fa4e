"""The receipt of a card payment of contributions: a PDF filed in her documents. It says who
paid what for which instalments, when, and the payment's reference; never anything about the
card (we never receive it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.dates import PARIS, fr_date, fr_date_long
from shared.money import format_eur


@dataclass(frozen=True)
class ReceiptLine:
    label: str  # « mai 2026 »
    due_date: date
    amount_cents: int


@dataclass(frozen=True)
class Receipt:
    brand_name: str
    brand_address: str | None
    member_name: str
    member_number: str
    payment_id: str
    paid_at: datetime
    lines: tuple[ReceiptLine, ...]
    overpayment: bool = False  # a trop-perçu paid back, rather than instalments

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def render(receipt: Receipt, *, compress: bool = True) -> bytes:
    from shared import pdf as kit

    paid_at = receipt.paid_at.astimezone(PARIS)
    doc = kit.new_document(kit.Letterhead(
        brand_name=receipt.brand_name, title="Reçu de paiement",
        subtitle="Remboursement d'un trop-perçu" if receipt.overpayment else "Cotisations",
        brand_address=receipt.brand_address,
        issued_on=paid_at.date(), legal_line="Reçu de paiement : à conserver"),
        compress=compress)
    kit.info_box(doc, [
        f"Titulaire du contrat : {receipt.member_name}",
        f"N° d'adhérent : {receipt.member_number}",
        f"Référence du paiement : {receipt.payment_id}",
        f"Payé le {fr_date_long(paid_at.date())} à {paid_at:%H:%M}, par carte bancaire en ligne",
    ])
    if receipt.overpayment:
        table = kit.Table(doc, [kit.Column("Trop-perçu", 70), kit.Column("À rembourser avant le",
                                                                         60),
                                kit.Column("Montant remboursé", 60, "R")])
        table.section("Trop-perçu remboursé", [
            [line.label, fr_date(line.due_date), format_eur(line.amount_cents)]
            for line in receipt.lines], subtotal=["Total remboursé", "", format_eur(
                receipt.total_cents)])
        kit.paragraph(doc, (
            f"{receipt.brand_name} a bien reçu la somme de {format_eur(receipt.total_cents)} "
            "en remboursement du trop-perçu ci-dessus, qui est désormais soldé : vous ne "
            "devez plus rien à ce titre. Ce reçu est disponible à tout moment dans votre "
            "espace adhérent, rubrique « Mes documents »."))
        return kit.output(doc)
    table = kit.Table(doc, [kit.Column("Échéance", 70), kit.Column("Date d'échéance", 60),
                            kit.Column("Montant réglé", 60, "R")])
    table.section("Échéances réglées", [
        [line.label.capitalize(), fr_date(line.due_date), format_eur(line.amount_cents)]
        for line in receipt.lines], subtotal=["Total réglé", "", format_eur(
            receipt.total_cents)])
    kit.paragraph(doc, (
        f"{receipt.brand_name} a bien reçu la somme de {format_eur(receipt.total_cents)} "
        "au titre des cotisations ci-dessus, qui sont désormais réglées. Ce reçu est "
        "disponible à tout moment dans votre espace adhérent, rubrique « Mes documents »."))
    return kit.output(doc)
