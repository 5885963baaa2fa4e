"""Access after the end of cover: once every contract of the member has ended (the day after
the last one's end date, Paris time), her space closes except for what the law lets her keep:
reading and downloading her documents and statements, and her data export.

How long: `READING_YEARS` after the end date. Documents of a health insurance contract are
kept for the limitation period of the civil law (5 years, Code civil art. 2224), which also
covers the 2-year limitation of the Code de la mutualité (art. L221-11) for claims on the
contract; after that, her space closes entirely. Applied once, by `domain.app` on every
member route (the routes below are the only ones open after the end).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.membership import Contract
from shared.dates import add_months, fr_date_long
from shared.errors import Forbidden

READING_YEARS = 5

# What remains open after the end (route keys of template.yaml): her documents and statements,
# her data export (and the sign-ins listed beside it), who she is (the site's menu) and
# signing out.
OPEN_AFTER_END: frozenset[str] = frozenset({
    "GET /members/me", "POST /members/logout", "GET /members/me/logins",
    "GET /documents", "GET /documents/filters", "GET /documents/{document_id}/link",
    "GET /claims/statements", "POST /claims/statements/exports",
    "GET /members/me/exports", "POST /members/me/exports",
    "GET /members/me/exports/{export_id}/link",
})


def ended_on(contracts: Iterable[Contract]) -> date | None:
    """The day her last contract ended (inclusive), or None while one has no end date (or
    she has none yet)."""
    ends = [c.end_date for c in contracts]
    if not ends or any(end is None for end in ends):
        return None
    return max(e for e in ends if e is not None)


def readable_until(end: date) -> date:
    return add_months(end, 12 * READING_YEARS)


def closed_on(end: date | None, today: date) -> bool:
    """True from the day after the end date: the end date itself is still covered."""
    return end is not None and end < today


def reading_open(end: date, today: date) -> bool:
    return today <= readable_until(end)


def refusal(end: date, today: date) -> Forbidden:
    ended = fr_date_long(end)
    if reading_open(end, today):
        return Forbidden(
            f"Votre contrat a pris fin le {ended} : cette partie de votre espace n'est plus "
            f"accessible. Jusqu'au {fr_date_long(readable_until(end))}, vous pouvez encore "
            f"consulter et télécharger vos documents et vos relevés de prestations, et "
            f"télécharger vos données. Pour toute question, contactez votre mutuelle par "
            f"courrier ou par téléphone.", code="contract_ended")
    return Forbidden(
        f"Votre contrat a pris fin le {ended} et la durée de conservation de vos documents "
        f"en ligne est écoulée. Pour obtenir un document, contactez votre mutuelle par "
        f"courrier ou par téléphone.", code="access_expired")


def ensure_allowed(contracts: Iterable[Contract], route_key: str, today: date) -> None:
    """Refuse (403, saying why and what is left) a route closed by the end of her cover."""
    end = ended_on(contracts)
    if not closed_on(end, today):
        return
    assert end is not None
    if route_key in OPEN_AFTER_END and reading_open(end, today):
        return
    raise refusal(end, today)


def check(member_id: str, route_key: str) -> None:
    """`ensure_allowed` on the member's file as every request reads it (no extra read)."""
    from domain.membership import CONTRACT_PREFIX, load_file
    from shared import clock

    contracts = [Contract.model_validate(i) for i in load_file(member_id)
                 if i.get("sk", "").startswith(CONTRACT_PREFIX)]
    ensure_allowed(contracts, route_key, clock.today())
