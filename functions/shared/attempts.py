"""Limits on attempts (codes asked, passwords typed), and the password asked again before a
sensitive change.

Attempts are counted per window of an hour in `LIMIT#<what>#<hash of whom>` items that expire
on their own (TTL): whom is hashed, so the table keeps no address a stranger typed. An attempt
is counted before it is judged, in one conditional write: guesses sent at once are each
counted, so a burst cannot try more than the limit.
"""

from __future__ import annotations

import hashlib
import math

from shared import clock, repository
from shared.errors import TooManyRequests
from shared.observability import count

WINDOW_SECONDS = 3600
PASSWORD_CHECKS_PER_HOUR = 5


def whom(kind: str, value: str) -> str:
    return f"{kind}#{hashlib.sha256(value.encode()).hexdigest()[:40]}"


def in_minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def limit(counters: list[tuple[str, int, str]], now: int | None = None) -> None:
    """Count one attempt on each (counter, limit per hour, French reason) or refuse with 429
    and when to try again; a refused attempt is not counted."""
    now = clock.epoch() if now is None else now
    window = now // WINDOW_SECONDS
    reopens = (window + 1) * WINDOW_SECONDS
    full = repository.count_attempts([(name, most) for name, most, _ in counters],
                                     window=window, expires=reopens + WINDOW_SECONDS)
    if full is not None:
        wait = reopens - now
        raise TooManyRequests(
            f"{counters[full][2]} Pour votre sécurité, réessayez dans {in_minutes(wait)}.",
            retry_after_seconds=wait)


def give_back(counter: str, now: int | None = None) -> None:
    """An attempt that turned out right is not held against the next ones."""
    now = clock.epoch() if now is None else now
    repository.give_back_attempt(counter, window=now // WINDOW_SECONDS)


def password_is_right(sub: str, email: str, password: str) -> bool:
    """Her password, asked again before a change of a credential or of where codes and money
    go. At most PASSWORD_CHECKS_PER_HOUR wrong ones an hour per account, whatever the form
    that asks (otherwise any such form would be a password oracle): the check is counted
    first, and given back when the password was right."""
    now = clock.epoch()
    counter = whom("password", sub)
    limit([(counter, PASSWORD_CHECKS_PER_HOUR,
            "Trop d'essais de mot de passe en peu de temps : rien n'a été changé.")], now)
    if repository.password_is_right(email, password):
        repository.give_back_attempt(counter, window=now // WINDOW_SECONDS)
        return True
    count("PasswordCheckRefused")
    return False
