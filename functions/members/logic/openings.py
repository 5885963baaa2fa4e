"""« Qui a consulté mon dossier »: every opening of her file by an advisor, newest first, from
her audit trail (append only, written with each opening): when, who (first name and initial,
as advisors sign), and why (the request or the message it was for, or the reason given).
"""

from __future__ import annotations

import re
from datetime import datetime

from members import repository
from members.models import OpeningOut
from shared.http import Page
from shared.identity import Caller
from shared.ids import iso_paris

KINDS = {"request_opened": "request", "thread_opened": "thread",
         "attachment_opened": "attachment", "file_opened": "file"}
_SIGNED = re.compile(r"^\S[^\s]* [A-ZÀ-Ý]\.$")


def advisor_name(who: str) -> str:
    """« Camille R. »: the advisor's display name, or made from a full name; never an id."""
    who = (who or "").strip()
    if _SIGNED.match(who):
        return who
    parts = who.split()
    if len(parts) >= 2 and all(p[:1].isalpha() for p in parts):
        return f"{parts[0]} {parts[-1][:1].upper()}."
    return "Un conseiller"


def why(entry: dict) -> str:
    action, target, detail = entry.get("action"), entry.get("target", ""), entry.get("detail", "")
    if action == "request_opened":
        return f"Pour votre demande {target}" if target else "Pour l'une de vos demandes"
    if action == "thread_opened":
        return f"Pour votre message « {detail} »" if detail else "Pour l'un de vos messages"
    if action == "attachment_opened":
        return "Pour une pièce jointe de vos messages"
    return detail or "Consultation de votre dossier"


def list_openings(caller: Caller, cursor: str | None, limit: int) -> Page[OpeningOut]:
    entries, nxt = repository.openings(caller.member, cursor, limit)
    return Page[OpeningOut](items=[OpeningOut(
        at=iso_paris(datetime.fromisoformat(e["at"])), advisor=advisor_name(e.get("who", "")),
        why=why(e), kind=KINDS[e["action"]]) for e in entries], next=nxt)
