"""Payment notices: each new payment (written by the ingest as `NOTICE#<claim id>` with the
sparse keys of the `PendingNotices` index) is « Nouveau » in « Mes remboursements » until she
has seen it, and the daily digest emails her at most once a day the payments not seen nor
emailed yet: the dates and first names only, the amounts staying inside her space.

A notice is deleted once seen (so her unseen ones are read in one small Query); emailing it
removes its index keys (it leaves the digest's index, still « Nouveau » until seen)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel

from claims import repository
from claims.models import NoticesSeenIn, NoticesSeenOut
from domain import outbox
from domain.membership import Profile
from shared import clock
from shared.dates import fr_date_long
from shared.errors import Conflict
from shared.french import spaced
from shared.identity import Caller
from shared.observability import count, logger
from shared.settings import get_settings

# A transaction holds 100 items: the digest marker, the email, and the notices it marks.
# More in one day (never seen for a family) wait for the next day's email.
MAX_PER_EMAIL = 90
DIGEST_KEEP_DAYS = 7


def seen(caller: Caller, data: NoticesSeenIn) -> NoticesSeenOut:
    """She has seen these payments (or, none named, all of them): « Nouveau » goes."""
    ids = data.claim_ids
    if ids is None:
        ids = [n["claim_id"] for n in repository.unseen_notices(caller.member_pk)]
    ids = list(dict.fromkeys(ids))
    if ids:
        repository.delete_notices(caller.member_pk, ids)
    return NoticesSeenOut(claim_ids=ids)


class DigestRun(BaseModel):
    members: int = 0
    emailed: int = 0  # members emailed
    notices: int = 0  # notices emailed
    opted_out: int = 0  # members who asked for no email (their notices leave the index)
    skipped: int = 0  # already emailed today, or changed meanwhile: tomorrow's run


def _email_body(profile: Profile, notices: list[dict]) -> str:
    by_day: dict[str, list[str]] = defaultdict(list)
    for notice in sorted(notices, key=lambda n: (n["paid_on"], n["claim_id"])):
        by_day[notice["paid_on"]].append(notice.get("beneficiary_first_name") or "")
    lines = []
    for day, names in by_day.items():
        counts: dict[str, int] = {}
        for name in names:
            counts[name] = counts.get(name, 0) + 1
        who = ", ".join(f"{name} ({n} remboursements)" if n > 1 else name
                        for name, n in counts.items() if name) or "votre famille"
        lines.append(f"- versement du {fr_date_long(date.fromisoformat(day))} : pour {who}")
    site = get_settings().site_url.rstrip("/")
    n = len(notices)
    what = "un nouveau remboursement" if n == 1 else f"{n} nouveaux remboursements"
    return spaced("\n".join([
        f"Bonjour {profile.first_name},", "",
        f"Votre mutuelle vous a versé {what} :", *lines, "",
        "Le détail et les montants sont dans votre espace adhérent, rubrique « Mes "
        f"remboursements » : {site}/espace/remboursements/", "",
        "Un paiement que vous ne reconnaissez pas ? Ouvrez-le dans votre espace et choisissez "
        "« Je ne reconnais pas ce paiement ».", "",
        "Vous recevez ce courriel car vous avez demandé à être averti de vos remboursements "
        "par e-mail. Pour ne plus le recevoir : « Mes infos perso », Préférences de "
        "contact.", "",
        get_settings().brand_name]))


def _unindexed(notice: dict, *, emailed: bool) -> dict:
    return {"update": {"key": {"pk": notice["pk"], "sk": notice["sk"]},
                       "set": {"emailed": emailed}, "remove": ["gsi3pk", "gsi3sk"],
                       "condition": ("type", "payment_notice")}}


def _digest_member(member_id: str, notices: list[dict], today: date, run: DigestRun) -> None:
    run.members += 1
    item = repository.profile_of(member_id)
    if item is None:
        logger.warning("notices of an unknown member", extra={"member_id": member_id})
        run.skipped += 1
        return
    profile = Profile.model_validate(item)
    batch = notices[:MAX_PER_EMAIL]
    if not profile.preferences.reimbursements.email:
        try:
            repository.write([_unindexed(n, emailed=False) for n in batch])
            run.opted_out += 1
        except Conflict:
            run.skipped += 1
        return
    marker = {"pk": f"MEMBER#{member_id}", "sk": f"{repository.DIGEST}{today.isoformat()}",
              "type": "notice_digest", "notices": len(batch),
              "ttl": clock.epoch() + DIGEST_KEEP_DAYS * 86400}
    site_brand = get_settings().brand_name
    email = outbox.email(member_id, profile.email,
                         spaced(f"{site_brand} : vos nouveaux remboursements"),
                         _email_body(profile, batch),
                         reference=f"notices-{today.isoformat()}")
    try:
        # The marker is new or the whole transaction fails: one email a day, at most.
        repository.write([{"put": marker}, email,
                          *(_unindexed(n, emailed=True) for n in batch)])
    except Conflict:
        run.skipped += 1
        return
    run.emailed += 1
    run.notices += len(batch)
    count("PaymentNoticesEmailed")


def send_digests(today: date | None = None, shards: list[int] | None = None) -> DigestRun:
    """The day's digests, shard by shard of the index, member by member."""
    today = today or clock.today()
    run = DigestRun()
    for shard in shards if shards is not None else range(repository.NOTICE_SHARDS):
        by_member: dict[str, list[dict]] = defaultdict(list)
        for notice in repository.pending_notices(shard):
            member_id = notice["pk"].removeprefix("MEMBER#")
            by_member[member_id].append(notice)
        for member_id, notices in by_member.items():
            _digest_member(member_id, notices, today, run)
    return run
