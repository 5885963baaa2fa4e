"""What members and advisors see of a request, built field by field from the stored item (an
advisor's internal note never reaches the member by accident)."""

from __future__ import annotations

from datetime import date

from domain.procurations import by_label
from domain.requests import CATEGORY_LABELS, KINDS, STATUS_LABELS, Event, RequestItem
from shared.dates import fr_date
from shared.money import format_eur
from support.models import Detail, EventOut, RequestOut, RequestSummary, UploadOut


def summary(r: RequestItem) -> RequestSummary:
    return RequestSummary(
        id=r.id, reference=r.reference, kind=r.kind, kind_label=KINDS[r.kind].label,
        category=r.category, category_label=CATEGORY_LABELS.get(r.category or ""),
        subject=r.subject, status=r.status, status_label=STATUS_LABELS[r.status],
        created_at=r.created_at, updated_at=r.updated_at, beneficiary_name=r.beneficiary_name,
        unread=r.unread_for_member, by_label=by_label(r.by))


def details(r: RequestItem, for_member: bool = True) -> list[Detail]:
    """The request's own facts, in French, for any kind (an account is always masked; where a
    bank change came from is for advisors only)."""
    rows: list[tuple[str, str | None]] = [("Bénéficiaire", r.beneficiary_name)]
    p = r.payload
    if r.kind == "bank_details":
        rows += [("Compte", p.get("masked")), ("Banque", p.get("bank_name")),
                 ("Titulaire", p.get("holder"))]
        if not for_member:
            origin = p.get("origin") or {}
            rows += [("Demandé depuis", f"{origin.get('ip', '?')} — "
                                        f"{origin.get('user_agent', '?')}")]
    if r.kind == "beneficiary_add":
        relation = {"spouse": "Conjoint ou partenaire", "child": "Enfant",
                    "other": "Autre ayant droit"}
        rows += [("Nom", f"{p.get('first_name')} {p.get('last_name')}"),
                 ("Date de naissance", fr_date(date.fromisoformat(p["birth_date"]))
                  if p.get("birth_date") else None),
                 ("Lien", relation.get(p.get("relationship", ""))),
                 ("N° de sécurité sociale", f"•••••••••••••{p['nir'][-2:]}"
                  if p.get("nir") else "Non communiqué")]
    if r.kind == "portability":
        rows += [("Fin du contrat de travail", fr_date(date.fromisoformat(
                  p["employment_end"])) if p.get("employment_end") else None),
                 ("Couverture jusqu'au", fr_date(date.fromisoformat(p["until"]))
                  if p.get("until") else None)]
    if r.kind == "reimbursement":
        care = r.payload.get("care", {})
        rows += [
            ("Soin", r.payload.get("act_label")),
            ("Date des soins", fr_date(date.fromisoformat(care["care_date"]))
             if care.get("care_date") else None),
            ("Montant payé", format_eur(r.payload.get("amount_cents", 0))),
            ("Quantité", str(care.get("quantity")) if care.get("quantity", 1) != 1 else None),
            *_answers(care, r.payload.get("answered")),
            ("Lié à une affection de longue durée", "Oui" if care.get("ald_related") else None),
            ("Accident du travail ou maladie professionnelle",
             "Oui" if care.get("work_accident") else None),
        ]
    if r.kind == "payment_dispute":
        rows += [
            ("Paiement concerné", p.get("act_label")),
            ("Date des soins", fr_date(date.fromisoformat(p["care_date"]))
             if p.get("care_date") else None),
            ("Date du versement", fr_date(date.fromisoformat(p["paid_on"]))
             if p.get("paid_on") else None),
            ("Montant versé", format_eur(p["amount_cents"])
             if p.get("amount_cents") is not None else None),
            ("Sur le compte", p.get("bank_account_masked")),
            ("N° du remboursement", p.get("claim_id")),
        ]
    if r.kind == "termination":
        rows += [
            ("Motif", p.get("reason_label")),
            ("Date de l'événement", fr_date(date.fromisoformat(p["event_date"]))
             if p.get("event_date") else None),
            ("Demande reçue le", fr_date(date.fromisoformat(p["requested_on"]))
             if p.get("requested_on") else None),
            ("Prend effet le", fr_date(date.fromisoformat(p["effective_on"]))
             if p.get("effective_on") else None),
            ("Contrat", p.get("contract_number")),
            ("Règle appliquée", p.get("source")),
        ]
    if r.kind in ("overpayment_instalments", "overpayment_contest"):
        rows += [
            ("Trop-perçu", p.get("overpayment_reference")),
            ("Montant demandé", format_eur(p["amount_cents"])
             if p.get("amount_cents") is not None else None),
            ("À rembourser avant le", fr_date(date.fromisoformat(p["due_date"]))
             if p.get("due_date") else None),
            ("Motif de la mutuelle", p.get("reason")),
            ("Mensualités demandées", str(p["months"]) if p.get("months") else None),
            ("N° du remboursement corrigé", p.get("claim_id")),
        ]
    if r.category:
        rows.insert(0, ("Catégorie", CATEGORY_LABELS.get(r.category, r.category)))
    return [Detail(label=label, value=value) for label, value in rows if value]


UNKNOWN = "Je ne sais pas (le cas le moins favorable est retenu)"
SECTORS = {1: "Secteur 1 (tarifs conventionnés, sans dépassement)",
           2: "Secteur 2 (dépassements d'honoraires possibles)"}


def _answers(care: dict, answered: list[str] | None) -> list[tuple[str, str | None]]:
    """The practitioner and care-pathway questions as the member answered them (the form asks
    them only for some acts; requests filed before `answered` was kept show what differs from
    the defaults)."""
    practitioner = care.get("practitioner") or {}
    sector = practitioner.get("sector")
    if answered is None:
        asked_sector, asked_pathway = bool(sector), care.get("care_pathway") is False
    else:
        asked_sector, asked_pathway = "practitioner" in answered, "care_pathway" in answered
    yes_no = {True: "Oui", False: "Non"}
    return [
        ("Professionnel de santé", SECTORS.get(sector) if asked_sector else None),
        ("Médecin adhérent à l'OPTAM", yes_no.get(practitioner.get("optam"), UNKNOWN)
         if asked_sector and sector == 2 else None),
        ("Parcours de soins coordonnés", yes_no[care.get("care_pathway", True) is not False]
         if asked_pathway else None),
    ]


def _event(e: Event) -> EventOut:
    return EventOut(at=e.at, who=e.by_name, action=e.action, status=e.status,
                    status_label=STATUS_LABELS[e.status], message=e.message,
                    attachments=[UploadOut(id=a.id, status="attached", filename=a.filename,
                                           size=a.size, content_type=a.content_type)
                                 for a in e.attachments],
                    visible_to_member=e.visible_to_member, by_label=by_label(e.by))


def out(r: RequestItem, *, for_member: bool = True) -> RequestOut:
    return RequestOut(
        **summary(r).model_dump(), message=r.message, details=details(r, for_member),
        attachments=[UploadOut(id=a.id, status="attached", filename=a.filename, size=a.size,
                               content_type=a.content_type) for a in r.attachments],
        history=[_event(e) for e in r.history if e.visible_to_member or not for_member],
        deadlines=r.deadlines, claim_id=r.outcome.get("claim_id"),
        can_answer=r.status == "info_needed", version=r.version)
