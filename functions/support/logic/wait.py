"""The estimated wait for an answer, from the live queue, with an M/M/c (Erlang C) model.

See docs/wait-model.md for the model, its assumptions and how the figures are measured.
Pure functions over numbers: no storage, no clock.

- c advisors on duty serve conversations waiting for a first answer, first come first served;
- handling times are exponential with mean S (measured over the last first answers);
- conversations arrive as a Poisson process of rate λ (measured over the last two hours).

A member who writes now finds n conversations not yet answered. Under the model, when n < c an
advisor is free and takes hers at once; otherwise she waits for n − c + 1 departures, each
coming at rate c/S, so E[W | n] = (n − c + 1)·S/c. She then waits S more for the answer itself.
Erlang C is the same model in the long run (the average of E[W | n] over the queue's
stationary distribution): it gives advisors the load, the probability of waiting at the current
arrival rate, and how many advisors it takes to keep the wait short.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_HANDLING_MINUTES = 10.0  # until enough answers are measured
MIN_SAMPLES = 5
MAX_SAMPLES = 30
# A handling time outside these bounds is an advisor who opened a conversation then left it
# (or answered in a few seconds from a template): clipped, so one outlier cannot skew the mean.
MIN_HANDLING, MAX_HANDLING = 1.0, 90.0
TARGET_MINUTES, TARGET_SHARE = 20.0, 0.80  # service level for the staffing hint


def erlang_b(servers: int, load: float) -> float:
    """Erlang B blocking probability B(c, A), by the stable recursion
    B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load must be non-negative")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Erlang C: the probability that an arrival waits, C(c, A) = c·B / (c − A·(1 − B)),
    for an offered load A = λ·S < c; 1 when the queue is unstable (A ≥ c)."""
    if servers <= 0 or load >= servers:
        return 1.0
    if load <= 0:
        return 0.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1 - blocking))


def steady_wait(servers: int, arrivals_per_minute: float, handling_minutes: float) -> float | None:
    """Mean wait in queue in the long run, W_q = C(c, A)·S / (c − A); None when unstable."""
    load = arrivals_per_minute * handling_minutes
    if servers <= 0 or load >= servers:
        return None
    return erlang_c(servers, load) * handling_minutes / (servers - load)


def service_level(servers: int, arrivals_per_minute: float, handling_minutes: float,
                  within: float) -> float:
    """P(wait ≤ t) = 1 − C(c, A)·exp(−(c − A)·t/S)."""
    load = arrivals_per_minute * handling_minutes
    if servers <= 0 or load >= servers:
        return 0.0
    return 1 - erlang_c(servers, load) * math.exp(-(servers - load) * within / handling_minutes)


def advisors_needed(arrivals_per_minute: float, handling_minutes: float,
                    within: float = TARGET_MINUTES, share: float = TARGET_SHARE,
                    most: int = 200) -> int | None:
    """The fewest advisors for `share` of conversations taken within `within` minutes."""
    for servers in range(1, most + 1):
        if service_level(servers, arrivals_per_minute, handling_minutes, within) >= share:
            return servers
    return None


def conditional_wait(in_system: int, servers: int, handling_minutes: float) -> float:
    """E[W | n]: the wait before an advisor takes a conversation that finds `in_system` others
    not yet answered, with `servers` advisors (FCFS, exponential handling)."""
    if servers <= 0:
        raise ValueError("nobody on duty: there is no wait to estimate")
    ahead = in_system - servers + 1
    return max(0, ahead) * handling_minutes / servers


def handling_time(samples_minutes: Sequence[float]) -> tuple[float, int]:
    """Mean handling time over the last answers (newest first), clipped; the default until
    MIN_SAMPLES are known. Returns (minutes, samples used)."""
    used = [min(MAX_HANDLING, max(MIN_HANDLING, s)) for s in samples_minutes[:MAX_SAMPLES]]
    if len(used) < MIN_SAMPLES:
        return DEFAULT_HANDLING_MINUTES, len(used)
    return sum(used) / len(used), len(used)


@dataclass(frozen=True)
class Estimate:
    waiting: int
    servers: int
    handling_minutes: float
    samples: int
    arrivals_per_hour: float
    minutes: int | None  # until the answer: the wait for an advisor, then the handling
    occupancy: float | None
    wait_probability: float | None
    steady_wait_minutes: float | None
    advisors_needed: int | None


def estimate(*, waiting: int, servers: int, samples_minutes: Sequence[float],
             arrivals_per_hour: float) -> Estimate:
    handling, used = handling_time(samples_minutes)
    per_minute = arrivals_per_hour / 60
    minutes = None
    if servers > 0:
        minutes = max(1, round(conditional_wait(waiting, servers, handling) + handling))
    load = per_minute * handling
    stable = servers > 0 and load < servers
    return Estimate(
        waiting=waiting, servers=servers, handling_minutes=round(handling, 1), samples=used,
        arrivals_per_hour=round(arrivals_per_hour, 1), minutes=minutes,
        occupancy=round(load / servers, 2) if servers > 0 else None,
        wait_probability=round(erlang_c(servers, load), 3) if stable else None,
        steady_wait_minutes=(round(w, 1) if (w := steady_wait(servers, per_minute, handling))
                             is not None else None),
        advisors_needed=advisors_needed(per_minute, handling) if per_minute > 0 else 1)


def rounded(minutes: int) -> str:
    """17 min, 45 min, 1 h 10, 2 h 30: the precision the model has."""
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 180:
        step = 5 * round(minutes / 5)
        hours, rest = divmod(step, 60)
        return f"{hours} h" + (f" {rest:02d}" if rest else "")
    return f"{round(minutes / 60)} h"
