"""Demo data of « Contact & aide »: Fatima's conversations (one answered, one waiting), Paul's
question waiting, the last first answers (the measured handling time), the opening hours, one
advisor on duty, and call-back slots over the coming days. Stored as the support function
stores them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from shared.dates import PARIS
from shared.ids import iso_paris
from support.logic import slots as rules
from support.logic.opening_hours import default_hours
from support.models import AnswerItem, DutyItem, MessageItem, SlotItem, ThreadItem
from support.repository import message_to_item, thread_to_item

TEAM = "gestion"
HOURS_FILE = Path(__file__).resolve().parents[2] / "functions" / "support" / "opening_hours.json"
# Handling times of the last first answers, in minutes (newest first): mean ≈ 8.6 min.
HANDLING = (7, 11, 6, 9, 8, 12, 7, 10, 6, 9, 8, 10)


def _id(kind: str, moment: datetime, suffix: str) -> str:
    return f"{kind}{moment.astimezone(UTC):%Y%m%dT%H%M%S}-{suffix}"


def _conversation(member_id: str, member_name: str, subject: str, suffix: str,
                  posts: list[tuple[datetime, str, str, str]],
                  opened: datetime | None = None) -> list[dict[str, Any]]:
    """`posts`: (when, role, author, text), the first one the member's."""
    created = posts[0][0]
    thread_id = _id("T", created, suffix)
    messages = [MessageItem(id=_id("M", at, f"{suffix[:6]}{i:02d}"), thread_id=thread_id,
                            at=iso_paris(at), author_role=role, author_name=author, text=text,
                            seq=i + 1)
                for i, (at, role, author, text) in enumerate(posts)]
    version = len(posts)
    advisor_posts = [i + 1 for i, p in enumerate(posts) if p[1] == "advisor"]
    member_posts = [i + 1 for i, p in enumerate(posts) if p[1] == "member"]
    answer = next((p for p in posts if p[1] == "advisor"), None)
    thread = ThreadItem(
        id=thread_id, member_id=member_id, member_name=member_name, team=TEAM, subject=subject,
        status="answered" if answer else "waiting", created_at=iso_paris(created),
        updated_at=iso_paris(posts[-1][0]), last_message_at=iso_paris(posts[-1][0]),
        last_author_role=posts[-1][1], message_count=len(posts), version=version,
        last_member_version=max(member_posts), last_advisor_version=max(advisor_posts or [0]),
        member_seen_version=version, advisor_seen_version=version if answer else 0,
        assigned_to=None, assigned_name=answer[2] if answer else None,
        opened_at=iso_paris(opened) if opened else None,
        first_answer_at=iso_paris(answer[0]) if answer else None)
    return [thread_to_item(thread), *(message_to_item(member_id, m) for m in messages)]


def contact_items(now: datetime, members: dict[str, tuple[str, str]],
                  advisors: dict[str, str]) -> list[dict[str, Any]]:
    """`members`: email -> (member id, name); `advisors`: display name -> sub."""
    items: list[dict[str, Any]] = []
    camille, leo = "Camille R.", "Léo G."
    fatima_id, fatima = members["fatima.l@example.fr"]
    paul_id, paul = members["paul.m@example.fr"]

    asked = now - timedelta(days=6, hours=2)
    answered = asked + timedelta(hours=3)
    thread = _conversation(
        fatima_id, fatima, "Carte de tiers payant pour la crèche", "5eedc001", [
            (asked, "member", fatima,
             "Bonjour, la crèche d'Inès me demande une attestation de mutuelle. Où puis-je la "
             "trouver ?"),
            (answered, "advisor", leo,
             "Bonjour Madame Lambert, votre carte de tiers payant fait office d'attestation : "
             "elle est dans votre espace, rubrique « Mes documents ». Je reste à votre "
             "disposition si la crèche demande un autre justificatif."),
            (answered + timedelta(hours=1), "member", fatima, "Parfait, merci beaucoup !")],
        opened=answered - timedelta(minutes=9))
    for item in thread:  # handled by Léo
        if item.get("type") == "thread":
            item["assigned_to"] = advisors[leo]
            item["gsi2pk"] = f"THREADQ#{TEAM}#BY#{advisors[leo]}"
    items += thread
    items += _conversation(
        fatima_id, fatima, "Changement de RIB pour les remboursements", "5eedc002", [
            (now - timedelta(minutes=35), "member", fatima,
             "Bonjour, nous avons changé de banque. Comment faire pour que les remboursements "
             "arrivent sur le nouveau compte ?")])
    items += _conversation(
        paul_id, paul, "Question sur la participation forfaitaire", "5eedc003", [
            (now - timedelta(minutes=50), "member", paul,
             "Pourquoi 2 € ont-ils été retirés du remboursement de ma consultation ?")])

    # The last first answers: what the handling time is measured on.
    for i, minutes in enumerate(HANDLING):
        at = now - timedelta(hours=5 + 7 * i)
        created = at - timedelta(minutes=minutes + 20)
        answer = AnswerItem(at=iso_paris(at), thread_id=_id("T", created, f"5eeda{i:03d}"),
                            thread_created_at=iso_paris(created), handling_seconds=minutes * 60,
                            waited_seconds=(minutes + 20) * 60)
        items.append({**answer.model_dump(mode="json"), "pk": f"SUPPORT#{TEAM}",
                      "sk": f"ANSWER#{at.astimezone(UTC):%Y%m%dT%H%M%S}#{answer.thread_id}",
                      "type": "answer", "ttl": int(now.timestamp()) + 30 * 86400})

    # Opening hours (configuration) and who is on duty: Camille, until the end of the opening
    # period under way; outside the opening hours (a night, a Sunday, a public holiday), nobody.
    hours = json.loads(HOURS_FILE.read_text(encoding="utf-8"))
    items.append({"pk": f"SUPPORT#{TEAM}", "sk": "HOURS", "type": "hours",
                  "week": hours["week"], "closed": hours["closed"]})
    period = default_hours().period_at(now)
    items.append({**DutyItem(sub=advisors[camille], name=camille, on_duty=period is not None,
                             since=iso_paris(max(now - timedelta(hours=1), period[0]) if period
                                             else now - timedelta(hours=14)),
                             until=iso_paris(period[1]) if period else None
                             ).model_dump(mode="json"),
                  "pk": f"SUPPORT#{TEAM}", "sk": f"DUTY#{advisors[camille]}", "type": "duty"})
    items.append({**DutyItem(sub=advisors[leo], name=leo, on_duty=False,
                             since=iso_paris(now - timedelta(hours=20))).model_dump(mode="json"),
                  "pk": f"SUPPORT#{TEAM}", "sk": f"DUTY#{advisors[leo]}", "type": "duty"})

    # Call-back slots on the coming opening days: Camille in the morning, Léo after lunch.
    items += _slots(now, [(camille, advisors[camille], time(10, 0), 3),
                          (leo, advisors[leo], time(14, 0), 2)])
    return items


def _slots(now: datetime, plans: list[tuple[str, str, time, int]]) -> list[dict[str, Any]]:
    hours = default_hours()
    out: list[dict[str, Any]] = []
    day: date = now.astimezone(PARIS).date()
    opened_days = 0
    while opened_days < 5:
        day += timedelta(days=1)
        if not hours.periods_on(day):
            continue
        opened_days += 1
        for name, sub, start, count in plans:
            for i in range(count):
                begin = datetime.combine(day, start, PARIS) + timedelta(minutes=30 * i)
                end = begin + timedelta(minutes=30)
                if not hours.covers(begin, end):
                    continue
                slot = SlotItem(id=rules.slot_id(begin, sub), team=TEAM,
                                starts_at=iso_paris(begin), ends_at=iso_paris(end), minutes=30,
                                advisor_sub=sub, advisor_name=name, status="open")
                out.append({**slot.model_dump(mode="json"), "pk": f"CALLBACK#{TEAM}",
                            "sk": f"SLOT#{slot.id}", "type": "slot"})
    return out
