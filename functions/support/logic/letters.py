"""An advisor's final answer to a request (accepted or refused), as a short letter filed in
the member's documents (« Mes documents »), so that she keeps it as a courrier."""

from __future__ import annotations

from datetime import date, datetime

from domain.documents import DocumentItem, document_for
from domain.membership import MemberContext
from domain.requests import KINDS, RequestItem
from shared import clock
from shared.dates import PARIS, fr_date
from shared.settings import get_settings

DECISIONS = {"accept": "Votre demande a été acceptée.",
             "refuse": "Votre demande n'a pas pu être acceptée."}
# An accepted reimbursement is not paid yet: the management system pays it.
SENT_FOR_PAYMENT = ("Votre demande a été acceptée et transmise pour paiement. Le remboursement "
                    "apparaîtra « en cours de traitement » dans « Mes remboursements » jusqu'à "
                    "son versement sur votre compte.")


def decision(request: RequestItem, action: str) -> str:
    return SENT_FOR_PAYMENT if request.status == "payment_requested" else DECISIONS[action]


def final_answer(request: RequestItem, ctx: MemberContext, action: str, message: str,
                 advisor_name: str, at: datetime | None = None) -> tuple[DocumentItem, bytes]:
    from shared import pdf as kit

    settings = get_settings()
    today = at.astimezone(PARIS).date() if at else clock.today()
    doc = kit.new_document(kit.Letterhead(
        brand_name=settings.brand_name, brand_address=settings.brand_address,
        title="Réponse à votre demande", subtitle=f"Demande n° {request.reference}",
        issued_on=today, legal_line="Courrier de votre mutuelle"))
    rows = [f"Titulaire du contrat : {ctx.member_name} — n° d'adhérent {ctx.member_id}",
            f"Demande n° {request.reference} du {fr_date(_day(request.created_at))} : "
            f"{KINDS[request.kind].label}",
            f"Objet : {request.subject}"]
    if request.beneficiary_name:
        rows.append(f"Bénéficiaire : {request.beneficiary_name}")
    kit.info_box(doc, rows)
    kit.paragraph(doc, f"Bonjour {ctx.profile.first_name} {ctx.profile.last_name},", size=10.5,
                  height=6)
    doc.ln(2)
    kit.paragraph(doc, decision(request, action), size=10.5, height=6)
    doc.ln(2)
    if message.strip() and message.strip() != decision(request, action):
        kit.paragraph(doc, message.strip(), size=10.5, height=6)
    doc.ln(4)
    kit.paragraph(doc, "Vous retrouvez cette réponse et le suivi de votre demande dans « Mes "
                       "demandes », et ce courrier dans « Mes documents ».", size=9.5)
    doc.ln(4)
    kit.paragraph(doc, f"Votre contact chez {settings.brand_name} : {advisor_name}",
                  size=10.5, height=6)
    body = kit.output(doc)
    document = document_for(ctx.member_id, kind="letter",
                            title=f"Réponse à votre demande {request.reference}",
                            size=len(body), beneficiary_id=request.beneficiary_id,
                            source=request.reference, at=at)
    return document, body


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])
