"""The live exercise clock: transitions and readings, on a fake clock."""

import math
from bisect import bisect_right
from datetime import UTC, datetime, timedelta, timezone
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netapp.live import clock, phases
from netapp.live.clock import ClockError, ClockState, Status

T0 = datetime(2026, 3, 5, 9, 0, 0)
SPEAKERS = clock.durations_of(clock.presentation_steps([11, 12, 13, 14, 15]))  # 5 x 120 s


def at(seconds: float) -> datetime:
    """The fake clock: `seconds` after T0, naive UTC."""
    return T0 + timedelta(seconds=seconds)


def running(durations=SPEAKERS, t: float = 0) -> ClockState:
    return clock.start(ClockState(), durations, at(t))


def code_of(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.code


# --- start, pause, resume ------------------------------------------------------------------


def test_start_runs_the_first_step_at_full_length():
    state = running()
    assert (state.status, state.step_index, state.started_at, state.version) == (
        "running",
        0,
        T0,
        1,
    )
    assert clock.remaining(state, SPEAKERS, at(30)) == 90
    assert clock.ends_at(state, SPEAKERS, at(30)) == at(120)


def test_ready_shows_the_full_step_and_no_end():
    state = ClockState()
    assert clock.remaining(state, SPEAKERS, at(500)) == 120
    assert clock.ends_at(state, SPEAKERS, at(500)) is None
    assert clock.elapsed(state, at(500)) == 0


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (running(), "already_started"),
        (clock.pause(running(), SPEAKERS, at(5)), "already_started"),
        (clock.end(running(), SPEAKERS, at(5)), "finished"),
    ],
)
def test_start_twice_is_refused(state, code):
    with pytest.raises(ClockError) as excinfo:
        clock.start(state, SPEAKERS, at(10))
    assert code_of(excinfo) == code


@pytest.mark.parametrize(
    ("control", "state", "code"),
    [
        (clock.pause, ClockState(), "not_running"),
        (clock.pause, clock.pause(running(), SPEAKERS, at(5)), "not_running"),
        (clock.resume, running(), "not_paused"),
        (clock.resume, ClockState(), "not_paused"),
        (clock.add_minute, ClockState(), "not_started"),
        (clock.pause, clock.end(running(), SPEAKERS, at(5)), "finished"),
        (clock.resume, clock.end(running(), SPEAKERS, at(5)), "finished"),
        (clock.add_minute, clock.end(running(), SPEAKERS, at(5)), "finished"),
        (clock.next_step, clock.end(running(), SPEAKERS, at(5)), "finished"),
        (clock.end, clock.end(running(), SPEAKERS, at(5)), "finished"),
        (clock.previous_step, running(), "first_step"),
    ],
)
def test_invalid_controls_are_refused_with_a_stable_code(control, state, code):
    with pytest.raises(ClockError) as excinfo:
        control(state, SPEAKERS, at(10))
    assert code_of(excinfo) == code
    assert isinstance(excinfo.value, ValueError)


def test_paused_time_does_not_count():
    state = clock.pause(running(), SPEAKERS, at(30))
    # Frozen while paused, however long the pause.
    assert clock.remaining(state, SPEAKERS, at(31)) == 90
    assert clock.remaining(state, SPEAKERS, at(99)) == 90
    assert clock.ends_at(state, SPEAKERS, at(99)) is None
    state = clock.resume(state, SPEAKERS, at(100))
    assert state.paused_seconds == 70
    assert clock.remaining(state, SPEAKERS, at(130)) == 60
    assert clock.ends_at(state, SPEAKERS, at(130)) == at(190)


def test_resume_on_a_clock_that_is_slightly_behind_never_adds_time():
    state = clock.pause(running(), SPEAKERS, at(30))
    state = clock.resume(state, SPEAKERS, at(29.9))
    assert state.paused_seconds == 0


def test_an_aware_now_is_taken_as_the_same_instant_in_utc():
    copenhagen = timezone(timedelta(hours=1))
    ten_in_copenhagen = (T0 + timedelta(hours=1)).replace(tzinfo=copenhagen)
    state = clock.start(ClockState(), SPEAKERS, ten_in_copenhagen)
    assert state.started_at == T0
    assert clock.remaining(state, SPEAKERS, at(20).replace(tzinfo=UTC)) == 100


def test_plain_strings_from_the_database_work_as_status():
    state = ClockState(status="running", started_at=T0, version=7)
    paused = clock.pause(state, SPEAKERS, at(10))
    assert paused.status == "paused" == Status.PAUSED
    assert paused.version == 8


# --- +1 minute ------------------------------------------------------------------------------


def test_add_minute_while_running_moves_the_end():
    state = clock.add_minute(running(), SPEAKERS, at(30))
    assert state.extra_seconds == 60
    assert clock.remaining(state, SPEAKERS, at(30)) == 150
    assert clock.ends_at(state, SPEAKERS, at(30)) == at(180)


def test_add_minute_while_paused_adds_to_the_frozen_time():
    state = clock.pause(running(), SPEAKERS, at(100))
    state = clock.add_minute(state, SPEAKERS, at(200))
    assert clock.remaining(state, SPEAKERS, at(300)) == 80


def test_add_minute_after_time_ran_out_gives_a_minute_from_now():
    state = running()
    assert clock.is_overdue(state, SPEAKERS, at(150))
    assert clock.overrun(state, SPEAKERS, at(150)) == 30
    state = clock.add_minute(state, SPEAKERS, at(150))
    assert clock.remaining(state, SPEAKERS, at(150)) == 60
    assert not clock.is_overdue(state, SPEAKERS, at(150))


# --- next and previous ----------------------------------------------------------------------


def test_next_while_running_starts_the_next_step_fresh():
    state = clock.add_minute(running(), SPEAKERS, at(10))
    state = clock.next_step(state, SPEAKERS, at(50))
    assert (state.status, state.step_index, state.started_at) == ("running", 1, at(50))
    assert (state.extra_seconds, state.paused_seconds) == (0, 0)
    assert clock.remaining(state, SPEAKERS, at(60)) == 110


def test_next_while_paused_waits_paused_at_full_length():
    state = clock.pause(running(), SPEAKERS, at(30))
    state = clock.next_step(state, SPEAKERS, at(40))
    assert (state.status, state.step_index) == ("paused", 1)
    assert clock.remaining(state, SPEAKERS, at(400)) == 120
    state = clock.resume(state, SPEAKERS, at(400))
    assert clock.remaining(state, SPEAKERS, at(410)) == 110


def test_next_before_the_start_skips_a_step_and_stays_ready():
    state = clock.next_step(ClockState(), SPEAKERS, at(0))
    assert (state.status, state.step_index, state.started_at) == ("ready", 1, None)
    assert clock.start(state, SPEAKERS, at(5)).step_index == 1


def test_next_on_the_last_step_finishes():
    state = running()
    for t in range(1, len(SPEAKERS)):
        state = clock.next_step(state, SPEAKERS, at(t))
    assert state.step_index == len(SPEAKERS) - 1
    state = clock.next_step(state, SPEAKERS, at(10))
    assert state.status == "finished"
    assert clock.remaining(state, SPEAKERS, at(10)) == 0
    assert clock.ends_at(state, SPEAKERS, at(10)) is None
    assert not clock.is_overdue(state, SPEAKERS, at(10))


def test_previous_restarts_the_earlier_step_at_full_length():
    state = clock.next_step(running(), SPEAKERS, at(100))
    state = clock.previous_step(state, SPEAKERS, at(130))
    assert (state.status, state.step_index, state.started_at) == ("running", 0, at(130))
    assert clock.remaining(state, SPEAKERS, at(130)) == 120


def test_previous_after_finishing_reopens_the_last_step_paused():
    state = clock.end(clock.next_step(running(), SPEAKERS, at(5)), SPEAKERS, at(10))
    state = clock.previous_step(state, SPEAKERS, at(20))
    assert (state.status, state.step_index) == ("paused", 1)
    assert clock.remaining(state, SPEAKERS, at(500)) == 120


def test_end_finishes_from_the_middle():
    state = clock.end(clock.next_step(running(), SPEAKERS, at(5)), SPEAKERS, at(10))
    assert (state.status, state.step_index, state.started_at) == ("finished", 1, None)


# --- versions -----------------------------------------------------------------------------


def test_every_accepted_control_bumps_the_version():
    state = ClockState()
    controls = [
        clock.start,
        clock.pause,
        clock.add_minute,
        clock.resume,
        clock.next_step,
        clock.previous_step,
        clock.end,
    ]
    for number, control in enumerate(controls, start=1):
        state = control(state, SPEAKERS, at(number))
        assert state.version == number


def test_two_facilitators_pressing_next_at_once_advance_once():
    shared = running()
    seen_by_both = shared.version
    clock.expect(shared, seen_by_both)
    shared = clock.next_step(shared, SPEAKERS, at(50))
    with pytest.raises(ClockError) as excinfo:
        clock.expect(shared, seen_by_both)
    assert code_of(excinfo) == "stale"
    assert shared.step_index == 1


# --- auto-advance and drift ---------------------------------------------------------------


def test_auto_advance_leaves_a_step_with_time_left_untouched():
    state = running()
    assert clock.auto_advance(state, SPEAKERS, at(119.999)) is state
    paused = clock.pause(state, SPEAKERS, at(10))
    assert clock.auto_advance(paused, SPEAKERS, at(10_000)) is paused
    ready = ClockState()
    assert clock.auto_advance(ready, SPEAKERS, at(10_000)) is ready


def test_auto_advance_crosses_several_steps_from_when_each_ran_out():
    state = clock.add_minute(running(), SPEAKERS, at(10))  # speaker 1 gets 180 s
    moved = clock.auto_advance(state, SPEAKERS, at(430))
    # 0-180, 180-300, 300-420, then the fourth speaker from 420.
    assert (moved.status, moved.step_index, moved.started_at) == ("running", 3, at(420))
    assert moved.extra_seconds == 0
    assert clock.remaining(moved, SPEAKERS, at(430)) == 110
    assert moved.version == state.version + 1
    with pytest.raises(ClockError):
        clock.expect(moved, state.version)  # a "next" aimed at speaker 1 is now stale


def test_auto_advance_long_after_the_end_finishes():
    moved = clock.auto_advance(running(), SPEAKERS, at(10_000))
    assert moved.status == "finished"
    assert clock.auto_advance(moved, SPEAKERS, at(20_000)) is moved


def test_a_long_step_polled_often_does_not_drift():
    durations = (1200,)
    state = running(durations)
    for k in range(0, 4801):
        t = k * 0.25
        assert clock.remaining(state, durations, at(t)) == pytest.approx(1200 - t, abs=1e-9)
    assert clock.is_overdue(state, durations, at(1200))


def test_a_20_minute_round_auto_advanced_by_late_polls_keeps_the_schedule():
    durations = clock.durations_of(phases.sparring_phases(20))
    boundaries = list(accumulate(durations))  # 180, 780, 1080, 1200
    state = running(durations)
    t = 0.0
    while t < 1200:
        state = clock.auto_advance(state, durations, at(t))
        phase = bisect_right(boundaries, t)
        assert state.step_index == phase
        assert clock.remaining(state, durations, at(t)) == pytest.approx(boundaries[phase] - t)
        t += 6.9  # polls that never land on a boundary
    assert clock.auto_advance(state, durations, at(1200)).status == "finished"


# --- reading ------------------------------------------------------------------------------


def test_read_gathers_what_a_tablet_draws():
    state = clock.pause(clock.add_minute(running(), SPEAKERS, at(10)), SPEAKERS, at(40))
    reading = clock.read(state, SPEAKERS, at(99))
    assert reading == clock.Reading(
        status="paused",
        step_index=0,
        step_count=5,
        seconds=180,
        elapsed=40,
        remaining=140,
        overrun=0,
        ends_at=None,
        version=3,
    )


@pytest.mark.parametrize(
    ("state", "durations", "code"),
    [
        (ClockState(), (), "no_steps"),
        (ClockState(), (120, 0), "bad_duration"),
        (ClockState(), (120, True), "bad_duration"),
        (ClockState(step_index=2), (120, 120), "bad_step"),
        (ClockState(status="sleeping"), (120,), "bad_status"),
    ],
)
def test_durations_and_state_the_clock_cannot_run(state, durations, code):
    with pytest.raises(ClockError) as excinfo:
        clock.start(state, durations, at(0))
    assert code_of(excinfo) == code


def test_presentation_steps_name_their_speakers():
    steps = clock.presentation_steps([7, 9], seconds=90)
    assert steps == (clock.Step("speaker", 90, "7"), clock.Step("speaker", 90, "9"))


# --- property: any pauses, resumes and extra minutes ----------------------------------------

controls = st.lists(
    st.tuples(st.sampled_from(["pause", "resume", "add", "wait"]), st.integers(0, 2_000)),
    max_size=40,
)


@settings(database=None, max_examples=300, deadline=None, derandomize=True)
@given(controls)
def test_remaining_is_the_step_minus_the_running_time(steps):
    durations = (300,)
    state = running(durations)
    t = ran = 0.0  # the model: seconds on the fake clock, seconds the step has run
    for name, amount in steps:
        if name == "wait":
            t += amount / 8
            ran += amount / 8 if state.status == "running" else 0
            continue
        control = {"pause": clock.pause, "resume": clock.resume, "add": clock.add_minute}[name]
        try:
            state = control(state, durations, at(t))
        except ClockError:
            continue
        if name == "add":
            assert clock.remaining(state, durations, at(t)) >= 60
        left = clock.remaining(state, durations, at(t))
        assert 0 <= left <= durations[0] + state.extra_seconds
        assert left == pytest.approx(max(0.0, 300 + state.extra_seconds - ran), abs=1e-6)


@given(st.floats(min_value=0, max_value=4 * 3600, allow_nan=False))
def test_a_paused_clock_shows_the_second_live_js_will_show(remaining):
    """The page shows clock_time(remaining); live.js's first tick rewrites it from the tenths
    in data-remaining ('%.1f'): both give the same second, so a paused clock never jumps."""
    from netapp.live.screens import clock_time

    tenths = float(f"{remaining:.1f}")  # what live.js parses (the template writes %.1f)
    whole = max(0, math.ceil(tenths - 1e-6))  # live.js's format()
    assert clock_time(remaining) == f"{whole // 60}:{whole % 60:02d}"
    assert clock_time(116.03) == "1:56"
