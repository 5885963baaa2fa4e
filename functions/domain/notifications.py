"""Emails to the member: that something changed and where to read it, never what (no health
detail, no amount, no bank detail), sent to the address on file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import repository
from shared.dates import fr_date_long
from shared.errors import ServiceUnavailable
from shared.observability import count, logger
from shared.settings import get_settings

if TYPE_CHECKING:
    from domain.requests import RequestItem

SUBJECTS = {
    "sent": "Nous avons bien reçu votre demande n° {ref}",
    "in_progress": "Votre demande n° {ref} est en cours de traitement",
    "info_needed": "Votre demande n° {ref} : nous avons besoin d'informations",
    "processed": "Votre demande n° {ref} a été traitée",
    "refused": "Votre demande n° {ref} a reçu une réponse",
}
LEADS = {
    "sent": "Nous avons bien reçu votre demande n° {ref}. Vous pouvez la suivre dans votre "
            "espace adhérent, rubrique « Mes demandes ».",
    "in_progress": "Un conseiller a pris en charge votre demande n° {ref}.",
    "info_needed": "Pour traiter votre demande n° {ref}, nous avons besoin d'informations "
                   "complémentaires. Répondez depuis votre espace adhérent, rubrique « Mes "
                   "demandes ».",
    "processed": "Votre demande n° {ref} a été traitée. Le détail est dans votre espace "
                 "adhérent, rubrique « Mes demandes ».",
    "refused": "Votre demande n° {ref} a reçu une réponse. Le détail est dans votre espace "
               "adhérent, rubrique « Mes demandes ».",
}


def text(request: RequestItem) -> tuple[str, str]:
    settings = get_settings()
    ref = request.reference
    lines = ["Bonjour,", "", LEADS[request.status].format(ref=ref)]
    if request.status == "sent" and request.deadlines:
        lines += ["", "Votre réclamation sera prise en compte au plus tard le "
                  f"{fr_date_long(request.deadlines.acknowledge_by)} et recevra une réponse au "
                  f"plus tard le {fr_date_long(request.deadlines.answer_by)}. Sans réponse "
                  "satisfaisante à cette date, vous pourrez saisir le médiateur de la "
                  "mutualité."]
    lines += ["", f"Votre espace adhérent : {settings.site_url}/espace/demandes/", "",
              "Par sécurité, ce message ne contient aucun détail de votre demande. Nous ne "
              "vous demanderons jamais votre mot de passe ni vos coordonnées bancaires par "
              "courriel.", "", settings.brand_name]
    return SUBJECTS[request.status].format(ref=ref), "\n".join(lines)


def status_changed(email: str, request: RequestItem) -> None:
    """Tell the member; the change is already done, so a failing mail service is logged and
    counted, never reported to the advisor as a failed action."""
    subject, body = text(request)
    send(email, subject, body, reference=request.reference)


def send(email: str, subject: str, body: str, *, reference: str = "") -> None:
    """Send now; a failure is logged and counted, never reported as the action's failure
    (what the email tells has already happened)."""
    try:
        repository.send_email(email, subject, body)
        count("NotificationSent")
    except ServiceUnavailable:
        logger.exception("notification failed", extra={"reference": reference})
        count("NotificationFailed")
