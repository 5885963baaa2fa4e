"""The wait model (support.logic.wait): Erlang C against published values, the wait of a
member given the live queue, and the link between the two (docs/wait-model.md)."""

import math

import pytest

from support.logic import wait


@pytest.mark.parametrize("servers, load, expected", [
    # Erlang C tables, offered load A = 10 erlangs.
    (11, 10, 0.6821), (12, 10, 0.4494), (13, 10, 0.2853), (14, 10, 0.1741), (15, 10, 0.1020),
    # Closed forms: M/M/1 waits with probability ρ; small cases by hand.
    (1, 0.7, 0.7), (2, 1, 1 / 3), (2, 1.5, 9 / 14), (3, 2, 4 / 9),
])
def test_erlang_c_matches_known_values(servers, load, expected):
    assert wait.erlang_c(servers, load) == pytest.approx(expected, abs=5e-5)


def test_erlang_c_by_the_textbook_sum_for_many_sizes():
    def textbook(c, a):
        top = a ** c / math.factorial(c) * c / (c - a)
        return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)

    for c in range(1, 40):
        for a in (0.1 * c, 0.5 * c, 0.9 * c, 0.99 * c):
            assert wait.erlang_c(c, a) == pytest.approx(textbook(c, a), rel=1e-9)


def test_the_average_speed_of_answer_of_a_call_centre():
    """10 erlangs (200 calls an hour of 3 minutes), 11 agents: 68 % wait, 122.8 s on average;
    a twelfth agent brings the average down to 40 s."""
    per_minute, handling = 200 / 60, 3.0
    assert wait.steady_wait(11, per_minute, handling) * 60 == pytest.approx(122.8, abs=0.1)
    assert wait.steady_wait(12, per_minute, handling) * 60 == pytest.approx(40.4, abs=0.1)


def test_an_overloaded_queue_has_no_steady_state():
    assert wait.erlang_c(3, 3) == 1.0 and wait.erlang_c(3, 5) == 1.0
    assert wait.steady_wait(3, 1.0, 4.0) is None
    assert wait.erlang_c(0, 1) == 1.0
    assert wait.erlang_c(4, 0) == 0.0


def test_the_wait_given_the_live_queue():
    # A free advisor takes the conversation at once.
    assert wait.conditional_wait(0, 2, 10) == 0
    assert wait.conditional_wait(1, 2, 10) == 0
    # All busy: wait for n − c + 1 departures, one every S/c on average.
    assert wait.conditional_wait(2, 2, 10) == 5
    assert wait.conditional_wait(5, 2, 10) == 20
    assert wait.conditional_wait(3, 1, 8) == 24
    with pytest.raises(ValueError):
        wait.conditional_wait(3, 0, 8)


@pytest.mark.parametrize("servers, load", [(1, 0.5), (2, 1.5), (5, 4.2), (11, 10)])
def test_erlang_c_is_the_average_of_the_live_wait(servers, load):
    """Arrivals see the stationary distribution (PASTA): averaging E[W | n] over it gives
    Erlang C's mean wait. The page uses the state it sees instead of the average."""
    handling = 6.0
    weights = [load ** n / math.factorial(n) if n <= servers
               else load ** servers / math.factorial(servers) * (load / servers) ** (n - servers)
               for n in range(2000)]
    total = sum(weights)
    average = sum(w / total * wait.conditional_wait(n, servers, handling)
                  for n, w in enumerate(weights))
    assert average == pytest.approx(wait.steady_wait(servers, load / handling, handling),
                                    rel=1e-6)


def test_handling_time_is_measured_on_the_last_answers():
    assert wait.handling_time([]) == (wait.DEFAULT_HANDLING_MINUTES, 0)
    assert wait.handling_time([5, 5, 5, 5]) == (wait.DEFAULT_HANDLING_MINUTES, 4)
    assert wait.handling_time([4, 6, 8, 10, 12]) == (8, 5)
    # An advisor who opened a conversation and went to lunch counts for 90 minutes at most;
    # a canned answer in a few seconds, for one.
    assert wait.handling_time([300, 0.1, 10, 10, 10]) == ((90 + 1 + 30) / 5, 5)
    assert wait.handling_time([10] * 30 + [1000] * 10) == (10, 30)


def test_the_estimate_members_see():
    nobody = wait.estimate(waiting=4, servers=0, samples_minutes=[8] * 10, arrivals_per_hour=3)
    assert nobody.minutes is None and nobody.occupancy is None
    one = wait.estimate(waiting=1, servers=1, samples_minutes=[8.5] * 10, arrivals_per_hour=3)
    assert one.minutes == 17  # her turn after the one in hand, then her answer
    two = wait.estimate(waiting=1, servers=2, samples_minutes=[8.5] * 10, arrivals_per_hour=3)
    assert two.minutes == 8  # an advisor is free: only the handling
    busy = wait.estimate(waiting=6, servers=2, samples_minutes=[10] * 10, arrivals_per_hour=9)
    assert busy.minutes == round(5 * 10 / 2 + 10)
    assert busy.occupancy == 0.75
    assert busy.wait_probability == pytest.approx(wait.erlang_c(2, 1.5), abs=1e-3)
    assert busy.advisors_needed == 3


def test_advisors_needed_is_the_fewest_that_meets_the_target():
    per_minute, handling = 12 / 60, 10.0
    needed = wait.advisors_needed(per_minute, handling)
    assert wait.service_level(needed, per_minute, handling, 20) >= 0.8
    assert wait.service_level(needed - 1, per_minute, handling, 20) < 0.8


@pytest.mark.parametrize("minutes, text", [
    (1, "1 min"), (17, "17 min"), (59, "59 min"), (60, "1 h"), (72, "1 h 10"), (149, "2 h 30"),
    (200, "3 h")])
def test_the_wait_is_said_with_the_precision_it_has(minutes, text):
    assert wait.rounded(minutes) == text
