"""Need to know: an advisor opens a member's file through a request, a conversation or a
call-back of her team's (the `via`); any other opening asks for a reason from a fixed list. Every
opening is written to the member's audit trail (`file_opened`), which she reads on « Qui a
consulté mon dossier », in the words stored here.
"""

from __future__ import annotations

import re
from datetime import datetime

from domain.membership import PROFILE_SK, load_file, member_context
from domain.requests import KINDS, STATUS_LABELS, Reference
from shared import clock
from shared.dates import PARIS, fr_date
from shared.errors import BadRequest, NotFound
from shared.identity import Caller
from shared.ids import created_of
from shared.observability import count
from support import repository
from support.logic.access import require_advisor
from support.logic.requests import _context
from support.logic.threads import status_label
from support.models import (
    OPENING_REASONS,
    CallbackItem,
    FileBeneficiary,
    FileCallback,
    FileRequest,
    FileThread,
    MemberFileOut,
    ThreadItem,
)

MEMBER_ID = re.compile(r"^[0-9A-Za-z]{1,20}$")
NO_MEMBER = "Aucun adhérent ne porte ce numéro."
REASON_REQUIRED = ("Ce dossier ne vous est pas confié par une demande, un message ou un rappel "
                   "de votre équipe : indiquez pourquoi vous l'ouvrez. L'ouverture sera "
                   "enregistrée et visible par l'adhérent.")
NOTE_REQUIRED = ("Avec le motif « Autre », précisez en quelques mots pourquoi vous ouvrez ce "
                 "dossier.")


def _mine(caller: Caller, team: str) -> bool:
    return team == (caller.team or team)


def _via(caller: Caller, member_id: str, via: str | None, requests, threads: list[ThreadItem],
         callbacks: list[CallbackItem]) -> str | None:
    """What the member will read when `via` names an object of hers assigned to the advisor's
    team, else None (a reason is then required)."""
    parsed = Reference.parse(via or "")
    if parsed is None or parsed.member_id != member_id:
        return None
    object_id = parsed.request_id
    if created_of(object_id, "R"):
        found = next((r for r in requests if r.id == object_id and _mine(caller, r.team)), None)
        return f"Pour votre demande {found.reference}" if found else None
    if created_of(object_id, "T"):
        thread = next((t for t in threads if t.id == object_id and _mine(caller, t.team)), None)
        return f"Pour votre message « {thread.subject} »" if thread else None
    booking = next((b for b in callbacks if b.id == object_id and b.status == "booked"
                    and _mine(caller, b.team)), None)
    if booking is None:
        return None
    starts = datetime.fromisoformat(booking.starts_at).astimezone(PARIS)
    return f"Pour votre rappel du {fr_date(starts.date())} à {starts:%H:%M}"


def open_file(caller: Caller, member_id: str, *, via: str | None, reason: str | None,
              note: str | None) -> MemberFileOut:
    require_advisor(caller)
    if not MEMBER_ID.match(member_id):
        raise NotFound(NO_MEMBER)
    requests, thread_items = repository.member_file_view(member_id)
    if not any(i.get("sk") == PROFILE_SK for i in load_file(member_id)):
        raise NotFound(NO_MEMBER)
    threads = sorted((ThreadItem.model_validate(i) for i in thread_items),
                     key=lambda t: t.last_message_at, reverse=True)
    bookings, _ = repository.callbacks(member_id, cursor=None, limit=20)
    opened_for = _via(caller, member_id, via, requests, threads, bookings)
    target = via or ""
    if opened_for is None:
        note = " ".join((note or "").split())
        if reason is None:
            raise BadRequest(REASON_REQUIRED, code="reason_required",
                             fields={"reason": "motif de l'ouverture"})
        if reason == "other" and not note:
            raise BadRequest(NOTE_REQUIRED, code="note_required",
                             fields={"note": "précisez le motif"})
        opened_for = f"Motif : {OPENING_REASONS[reason]}" + (f" — {note}" if note else "")
        target = reason
    repository.record([repository.audit(member_id, who=caller.name or caller.sub,
                                        role="advisor", action="file_opened", target=target,
                                        detail=opened_for)])
    count("MemberFileOpened")
    return _out(member_id, requests, threads, bookings, opened_for)


def _out(member_id: str, requests, threads: list[ThreadItem], bookings: list[CallbackItem],
         opened_for: str) -> MemberFileOut:
    ctx = member_context(member_id)
    summary = _context(ctx, [])
    holder = next((b for b in ctx.beneficiaries.values() if b.relationship == "member"), None)
    now = clock.now()
    return MemberFileOut(
        member_id=member_id, member_number=ctx.profile.member_id, name=summary.name,
        birth_year=holder.birth_date.year if holder else None,
        formula_label=summary.formula_label, contract_start=summary.contract_start,
        beneficiaries=[FileBeneficiary(first_name=b.first_name,
                                       relationship_label=b.relationship_label)
                       for b in ctx.beneficiaries.values()],
        recent_requests=[FileRequest(
            ref=str(Reference(member_id=member_id, request_id=r.id)), reference=r.reference,
            kind_label=KINDS[r.kind].label, subject=r.subject,
            status_label=STATUS_LABELS[r.status], created_at=r.created_at, team=r.team)
            for r in requests[:10]],
        threads=[FileThread(ref=str(Reference(member_id=member_id, request_id=t.id)),
                            subject=t.subject, status_label=status_label(t),
                            last_message_at=t.last_message_at, team=t.team)
                 for t in threads[:10]],
        upcoming_callbacks=[FileCallback(id=b.id, starts_at=b.starts_at, topic=b.topic)
                            for b in bookings if b.status == "booked"
                            and datetime.fromisoformat(b.ends_at) > now],
        opened_for=opened_for)
