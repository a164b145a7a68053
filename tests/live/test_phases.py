"""Sparring round phase plans: the seed's 15- and 20-minute plans and a facilitator's own."""

from fractions import Fraction

import pytest

from netapp.live import clock, phases
from netapp.live.clock import ClockError


def code_of(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.code


@pytest.mark.parametrize("minutes", range(15, 21))
def test_phase_plans_add_up_and_questions_take_longest(minutes):
    steps = phases.sparring_phases(minutes)
    seconds = [step.seconds for step in steps]
    assert [step.key for step in steps] == ["challenge", "questions", "experiences", "close"]
    assert sum(seconds) == minutes * 60
    assert all(s >= 60 and s % 60 == 0 for s in seconds)
    assert seconds[1] > max(seconds[0], seconds[2], seconds[3])
    assert phases.validate_phases(seconds, minutes) == steps


@pytest.mark.parametrize(("minutes", "plan"), [(15, (2, 8, 4, 1)), (20, (3, 10, 5, 2))])
def test_the_seed_plans_are_kept(minutes, plan):
    assert clock.durations_of(phases.sparring_phases(minutes)) == tuple(m * 60 for m in plan)


def test_phases_grow_with_the_round_as_the_linear_plan_rounded_to_minutes():
    low, high = (2, 8, 4, 1), (3, 10, 5, 2)
    tie_order = [2, 0, 3, 1]  # experiences, challenge, close, questions
    previous = low
    for minutes in range(15, 21):
        ideal = [a + Fraction((b - a) * (minutes - 15), 5) for a, b in zip(low, high, strict=True)]
        plan = [int(x) for x in ideal]
        by_remainder = sorted(range(4), key=lambda i: (-(ideal[i] - plan[i]), tie_order.index(i)))
        for i in by_remainder[: minutes - sum(plan)]:
            plan[i] += 1
        plan_now = tuple(s // 60 for s in clock.durations_of(phases.sparring_phases(minutes)))
        assert plan_now == tuple(plan)
        assert all(p >= q for p, q in zip(plan_now, previous, strict=True))
        previous = plan_now


@pytest.mark.parametrize("minutes", [14, 21, 0, -20, 15.5, True, "20", None])
def test_round_lengths_outside_15_to_20_are_refused(minutes):
    with pytest.raises(ValueError) as excinfo:
        phases.sparring_phases(minutes)
    assert code_of(excinfo) == "round_length"


@pytest.mark.parametrize(
    ("seconds", "minutes", "code"),
    [
        ([180, 600, 300, 120], 21, "round_length"),
        ([180, 600, 300], 18, "phase_count"),
        ([180, 600, 300, 120, 0], 20, "phase_count"),
        ([180, 630, 330, 59], 20, "phase_too_short"),
        ([180, 600, 300, 60.5], 20, "phase_too_short"),
        ([180, 600, 300, 60], 20, "phase_sum"),
    ],
)
def test_a_custom_phase_plan_is_checked(seconds, minutes, code):
    with pytest.raises(ClockError) as excinfo:
        phases.validate_phases(seconds, minutes)
    assert code_of(excinfo) == code


def test_a_custom_phase_plan_that_fits_becomes_steps():
    steps = phases.validate_phases([120, 660, 300, 120], 20)
    assert [(s.key, s.seconds) for s in steps] == [
        ("challenge", 120),
        ("questions", 660),
        ("experiences", 300),
        ("close", 120),
    ]
