"""Emails to the member, sent to the address on file. About a request: what happened, what to
do and where to read the rest, never a health detail nor an amount."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import outbox, repository
from shared.dates import fr_date_long
from shared.errors import ServiceUnavailable
from shared.french import spaced
from shared.observability import count, logger
from shared.settings import get_settings

if TYPE_CHECKING:
    from domain.requests import RequestItem

SUBJECTS = {
    "sent": "Nous avons bien reçu votre demande n° {ref}",
    "in_progress": "Votre demande n° {ref} est en cours de traitement",
    "info_needed": "Votre demande n° {ref} : nous avons besoin d'informations",
    "payment_requested": "Votre demande n° {ref} est acceptée et transmise pour paiement",
    "processed": "Votre demande n° {ref} a été acceptée",
    "paid": "Votre demande n° {ref} : le remboursement a été versé",
    "refused": "Votre demande n° {ref} a été refusée",
}
IN_YOUR_SPACE = "dans votre espace adhérent, rubrique « Mes demandes »"
LEADS = {
    "sent": "Nous avons bien reçu votre demande n° {ref}. Vous pouvez la suivre "
            f"{IN_YOUR_SPACE}.",
    "in_progress": "Un conseiller a pris en charge votre demande n° {ref}. Vous n'avez rien à "
                   "faire : un autre e-mail vous préviendra dès qu'il vous aura répondu.",
    # What is asked may be about her health: the email says how to answer, never the question.
    "info_needed": "Pour traiter votre demande n° {ref}, votre conseiller a besoin d'une "
                   "information ou d'un document. Par sécurité, sa question n'est pas écrite "
                   f"ici : ouvrez la demande {IN_YOUR_SPACE}, lisez la question de votre "
                   "conseiller et répondez-y depuis la même page, en joignant les documents "
                   "demandés s'il y en a. Votre demande attend votre réponse pour avancer.",
    "payment_requested": "Votre demande n° {ref} a été acceptée et transmise pour paiement.",
    "processed": "Votre demande n° {ref} a été acceptée.",
    "paid": "Le remboursement de votre demande n° {ref} a été versé par votre mutuelle.",
    "refused": "Votre demande n° {ref} a été refusée.",
}
# What an accepted request changes, said without a health detail nor an amount.
ACCEPTED = {
    "reimbursement": "Le remboursement est calculé selon vos garanties : son décompte est dans "
                     "votre espace adhérent, rubrique « Mes remboursements ».",
    "beneficiary_add": "La personne est ajoutée à votre contrat : elle figure sur votre carte "
                       "mutualiste, dans votre espace adhérent, rubrique « Mon contrat ».",
    "bank_details": "Vos nouvelles coordonnées bancaires sont enregistrées : elles servent dès "
                    "les prochains versements ou prélèvements.",
    "portability": "Votre portabilité est enregistrée : votre couverture continue, sans "
                   "cotisation, jusqu'à la date indiquée dans votre espace adhérent.",
    "termination": "Votre demande de résiliation est enregistrée : votre contrat prendra fin "
                   "à la date indiquée dans votre accusé de réception (« Mes documents »).",
}
SENT_FOR_PAYMENT = ("Le remboursement est calculé selon vos garanties et votre mutuelle le "
                    "verse sur votre compte : en attendant, il figure « en cours de "
                    "traitement » dans votre espace adhérent, rubrique « Mes "
                    "remboursements ». Un autre e-mail vous préviendra du paiement.")
ANSWER_WHERE = ("La réponse de votre conseiller est {where}, et son courrier dans « Mes "
                "documents ».")


def _moment(request: RequestItem) -> str:
    """The status, or "paid" when the management system's payment closed the request."""
    if request.status == "processed" and request.history and \
            request.history[-1].action == "pay":
        return "paid"
    return request.status


def _next_steps(request: RequestItem) -> list[str]:
    """What she does now, by status and kind."""
    where = IN_YOUR_SPACE
    if _moment(request) == "paid":
        return ["Son décompte, avec le détail du calcul, est dans votre espace adhérent, "
                "rubrique « Mes remboursements »."]
    if request.status == "processed":
        return [s for s in (ACCEPTED.get(request.kind),
                            ANSWER_WHERE.format(where=where)) if s]
    if request.status == "payment_requested":
        return [SENT_FOR_PAYMENT, ANSWER_WHERE.format(where=where)]
    if request.status == "refused":
        after = ("Si cette réponse ne vous satisfait pas, vous pouvez saisir le médiateur de "
                 "la mutualité." if request.category == "complaint" else
                 "Si vous n'êtes pas d'accord, vous pouvez faire une réclamation depuis la "
                 "page de la demande.")
        return [f"Le motif et ce que vous pouvez faire sont expliqués par votre conseiller "
                f"{where}, et dans son courrier rangé dans « Mes documents ». {after}"]
    if request.status == "in_progress" and request.history and request.history[-1].message:
        return [f"Votre conseiller vous a écrit : lisez son message {where}."]
    return []


def text(request: RequestItem) -> tuple[str, str]:
    settings = get_settings()
    ref = request.reference
    moment = _moment(request)
    lines = ["Bonjour,", "", LEADS[moment].format(ref=ref)]
    if request.status == "sent" and request.deadlines:
        lines += ["", "Votre réclamation sera prise en compte au plus tard le "
                  f"{fr_date_long(request.deadlines.acknowledge_by)} et recevra une réponse au "
                  f"plus tard le {fr_date_long(request.deadlines.answer_by)}. Sans réponse "
                  "satisfaisante à cette date, vous pourrez saisir le médiateur de la "
                  "mutualité."]
    if request.status == "sent" and request.kind == "termination":
        lines += ["", *termination_lines(request.payload)]
    for step in _next_steps(request):
        lines += ["", step]
    lines += ["", f"Ouvrir votre demande : {site_url()}/espace/demandes/detail/?id="
                  f"{request.id}", "",
              "Par sécurité, ce message ne contient ni détail sur vos soins ni montant. Nous ne "
              "vous demanderons jamais votre mot de passe ni vos coordonnées bancaires par "
              "courriel.", "", settings.brand_name]
    return (spaced(SUBJECTS[moment].format(ref=ref)),
            spaced("\n".join(lines)))



def termination_lines(payload: dict) -> list[str]:
    """The acknowledgement of a termination (décret n° 2023-182): when it was received, when
    it takes effect, what that changes."""
    from datetime import date

    received = fr_date_long(date.fromisoformat(payload["requested_on"]))
    effective = fr_date_long(date.fromisoformat(payload["effective_on"]))
    return [f"Votre demande de résiliation ({payload.get('reason_label', '')}) a été reçue le "
            f"{received}. Elle prend effet le {effective}.", "",
            *(f"{line}\n" for line in payload.get("effects", [])),
            "L'accusé de réception est dans votre espace adhérent, rubrique « Mes documents »."]


def site_url() -> str:
    """The site's address, for every link of every email (one setting: SITE_URL)."""
    return get_settings().site_url.rstrip("/")


def status_email(member_id: str, email: str, request: RequestItem) -> dict:
    """The transaction operation telling the member where her request stands: written with
    the change itself, sent by the mailer once the change is made (never before, never lost)."""
    subject, body = text(request)
    return outbox.email(member_id, email, subject, body, reference=request.reference)


def email(member_id: str, to: str, subject: str, body: str, *, reference: str = "") -> dict:
    """An email as a transaction operation, to join the write of the change it tells."""
    return outbox.email(member_id, to, subject, body, reference=reference)


def send(member_id: str, to: str, subject: str, body: str, *, reference: str = "") -> None:
    """An email about a change made outside the table (a password, an archive), written to the
    outbox on its own; a failure is logged and counted, never reported as the action's failure
    (what the email tells has already happened)."""
    try:
        repository.write([email(member_id, to, subject, body, reference=reference)])
        count("NotificationQueued")
    except ServiceUnavailable:
        logger.exception("notification not queued", extra={"reference": reference})
        count("NotificationFailed")
