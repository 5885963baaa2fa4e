"""Demo requests (demandes): what « Mes demandes » and the advisors' queue show on the first
start. Each is stored as the support function stores it, with its history, its place in the
queue and its attachments (real PDFs in the documents bucket)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from domain.attachments import UploadItem, upload_sk
from domain.requests import (
    KINDS,
    Attachment,
    Event,
    RequestItem,
    complaint_deadlines,
    to_item,
)
from shared.dates import PARIS
from shared.ids import iso_paris
from support.logic.uploads import final_key

ADVISORS = [
    # (email, display name, password)
    ("conseiller@example.fr", "Camille R.", "Demo-Conseiller-2026!"),
    ("conseillere2@example.fr", "Léo G.", "Demo-Conseiller-2026!"),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS).astimezone(UTC)


def _id(kind: str, moment: datetime, suffix: str) -> str:
    return f"{kind}{moment:%Y%m%dT%H%M%S}-{suffix}"


def invoice_pdf(title: str) -> bytes:
    from shared import pdf as kit

    doc = kit.new_document(kit.Letterhead(brand_name="Cabinet médical du Parc", title=title,
                                          legal_line="Document de démonstration"))
    kit.paragraph(doc, "Consultation du médecin généraliste — 30,00 € — acquittée.")
    return kit.output(doc)


class DemoRequests:
    def __init__(self, member_id: str, member_name: str, today: date,
                 advisors: dict[str, str]) -> None:
        self.member_id, self.member_name, self.today = member_id, member_name, today
        self.advisors = advisors  # display name -> sub
        self.items: list[dict[str, Any]] = []
        self.objects: dict[str, bytes] = {}

    def attachment(self, moment: datetime, suffix: str, filename: str) -> Attachment:
        upload_id = _id("U", moment, suffix)
        data = invoice_pdf(filename.removesuffix(".pdf").replace("-", " ").capitalize())
        key = final_key(self.member_id, upload_id, "pdf")
        self.objects[key] = data
        upload = UploadItem(id=upload_id, created_at=iso_paris(moment),
                            expires_at=(moment + timedelta(days=1)).isoformat(),
                            filename=filename, content_type="application/pdf",
                            declared_size=len(data), size=len(data), s3_key=key,
                            status="attached", request_id=_id("R", moment, suffix))
        self.items.append({**upload.model_dump(mode="json"), "pk": f"MEMBER#{self.member_id}",
                           "sk": upload_sk(upload_id), "type": "upload"})
        return Attachment(id=upload_id, filename=filename, size=len(data),
                          content_type="application/pdf")

    def add(self, *, days_ago: int, suffix: str, kind: str, subject: str, steps: list[tuple],
            category: str | None = None, message: str, beneficiary: tuple[str, str] | None = None,
            payload: dict | None = None, files: tuple[str, ...] = ()) -> None:
        """`steps`: (days after sending, role, name, action, status, message) after the send."""
        sent = _at(self.today - timedelta(days=days_ago), 10)
        spec = KINDS[kind]
        request_id = _id("R", sent, suffix)
        attachments = [self.attachment(sent, f"{suffix[:6]}{i:02d}", name)
                       for i, name in enumerate(files)]
        history = [Event(at=iso_paris(sent), by_role="member", by_name=self.member_name,
                         action="send", status="sent", message=message,
                         attachments=attachments)]
        assigned = (None, None)
        for after, role, name, action, status, text in steps:
            history.append(Event(at=iso_paris(sent + timedelta(days=after, hours=2)),
                                 by_role=role, by_name=name, action=action, status=status,
                                 message=text))
            if role == "advisor":
                assigned = (name, name)
        advisor_steps = sum(1 for h in history if h.by_role == "advisor")
        last = history[-1]
        version = len(history)
        request = RequestItem(
            id=request_id, reference=f"{spec.prefix}-{sent:%Y}-{request_id[-8:].upper()}",
            kind=kind, member_id=self.member_id, created_at=iso_paris(sent),
            updated_at=last.at, status=last.status, version=version, team=spec.team,
            category=category, subject=subject,
            beneficiary_id=beneficiary[0] if beneficiary else None,
            beneficiary_name=beneficiary[1] if beneficiary else None, message=message,
            attachments=attachments, payload=payload or {}, history=history,
            assigned_to=self.advisors.get(assigned[0]) if assigned[0] else None,
            assigned_name=assigned[1],
            deadlines=complaint_deadlines(sent) if category == "complaint" else None,
            # The answers of the last advisor step are still unread.
            member_seen_version=version - 1 if advisor_steps and last.by_role == "advisor"
            else version)
        self.items.append(to_item(request))


def fatima_requests(member_id: str, today: date, karim: tuple[str, str],
                    advisors: dict[str, str]) -> DemoRequests:
    demo = DemoRequests(member_id, "Fatima Lambert", today, advisors)
    camille, leo = ADVISORS[0][1], ADVISORS[1][1]
    demo.add(days_ago=2, suffix="5eed0a01", kind="reimbursement", beneficiary=karim,
             subject="Consultation chez le médecin généraliste",
             message="Consultation payée sans tiers payant.", steps=[],
             payload={"care": {"beneficiary_id": karim[0], "act_code": "G",
                               "care_date": (today - timedelta(days=4)).isoformat(),
                               "quantity": 1, "practitioner": {"sector": 1, "optam": True},
                               "care_pathway": True, "ald_related": False,
                               "work_accident": False, "sight_change": False,
                               "frame_misfit": False},
                      "amount_cents": 3000,
                      "act_label": "Consultation chez le médecin généraliste"},
             files=("feuille-de-soins.pdf",))
    demo.add(days_ago=9, suffix="5eed0a02", kind="other", category="situation_change",
             subject="Changement d'adresse",
             message="Nous avons déménagé le 1er du mois : 4 rue des Acacias, 69003 Lyon.",
             steps=[(1, "advisor", camille, "take", "in_progress", None),
                    (1, "advisor", camille, "ask", "info_needed",
                     "Merci de nous envoyer un justificatif de domicile de moins de 3 mois.")])
    demo.add(days_ago=40, suffix="5eed0a03", kind="other", category="reimbursement_question",
             subject="Question sur le remboursement des lunettes d'Inès",
             message="Pourquoi la monture n'a-t-elle pas été remboursée entièrement ?",
             steps=[(2, "advisor", leo, "take", "in_progress", None),
                    (2, "advisor", leo, "accept", "processed",
                     "Pour un contrat responsable, la part de la mutuelle sur une monture est "
                     "limitée à 100 € : c'est ce plafond qui a été appliqué.")])
    demo.add(days_ago=5, suffix="5eed0a04", kind="other", category="complaint",
             subject="Réclamation : délai de remboursement",
             message="J'attends depuis trois semaines le remboursement de ma consultation.",
             steps=[(1, "advisor", camille, "take", "in_progress",
                     "Nous avons bien reçu votre réclamation et l'examinons.")])
    return demo


def paul_requests(member_id: str, today: date, advisors: dict[str, str]) -> DemoRequests:
    demo = DemoRequests(member_id, "Paul Martin", today, advisors)
    demo.add(days_ago=1, suffix="5eed0b01", kind="other", category="other",
             subject="Attestation pour mon employeur",
             message="Pouvez-vous m'envoyer une attestation d'adhésion ?", steps=[])
    return demo
