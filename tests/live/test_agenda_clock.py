"""The programme clock, pure: planned clock times, the running item, behind or ahead of plan."""

from datetime import datetime, timedelta

import pytest

from netapp.live import agenda_clock as ac
from netapp.live.agenda_clock import DONE, READY, RUNNING, SKIPPED, Item, ProgrammeError

START = datetime(2026, 12, 10, 12, 0)


def items(*minutes):
    return [Item(id=n + 1, minutes=m) for n, m in enumerate(minutes)]


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def test_planned_clock_times_follow_the_lengths():
    assert ac.planned_starts(START, [15, 20, 10]) == (at(0), at(15), at(35))
    assert ac.planned_end(START, [15, 20, 10]) == at(45)


def test_before_the_start_nothing_runs_and_nothing_is_off_plan():
    state = ac.read(START, items(15, 20), at(-5))
    assert (state.state, state.current, state.next, state.drift) == ("not_started", None, 0, 0)


def test_the_running_item_counts_down_from_its_planned_time():
    agenda = ac.begin(items(15, 20), at(0))
    state = ac.read(START, agenda, at(5))
    assert (state.current, state.next, state.remaining, state.drift) == (0, 1, 600, 0)
    assert state.ends_at == at(15)


def test_a_late_start_and_an_overrun_put_the_room_behind():
    agenda = ac.begin(items(15, 20), at(3))  # started three minutes late
    assert ac.read(START, agenda, at(10)).drift == 180
    over = ac.read(START, agenda, at(3 + 15 + 9))  # nine minutes past its time
    assert over.remaining == 0 and over.overrun == 540
    assert ac.drift_minutes(over.drift) == 12  # "12 min behind"


def test_moving_on_early_puts_the_room_ahead():
    agenda = ac.advance(ac.begin(items(15, 20), at(0)), at(10))
    state = ac.read(START, agenda, at(11))
    assert state.current == 1 and ac.drift_minutes(state.drift) == -5


def test_extending_gives_more_time_counted_from_now_when_over():
    agenda = ac.begin(items(15), at(0))
    longer = ac.extend(agenda, at(5))
    assert ac.read(START, longer, at(5)).remaining == 15 * 60
    late = ac.extend(agenda, at(17))  # two minutes over: five more from now
    assert ac.read(START, late, at(17)).remaining == 300


def test_skipping_the_running_item_moves_on_and_a_coming_one_is_passed_over():
    agenda = ac.begin(items(15, 20, 10), at(0))
    agenda = ac.skip(agenda, 1, at(2))  # the coming item
    assert [i.status for i in agenda] == [RUNNING, SKIPPED, READY]
    agenda = ac.skip(agenda, 0, at(4))
    assert [i.status for i in agenda] == [SKIPPED, SKIPPED, RUNNING]
    with pytest.raises(ProgrammeError) as refused:
        ac.skip(agenda, 0, at(5))
    assert refused.value.code == "cannot_skip"


def test_after_the_last_item_the_programme_is_finished():
    agenda = ac.advance(ac.begin(items(15), at(0)), at(20))
    state = ac.read(START, agenda, at(30))
    assert state.state == "finished" and [i.status for i in agenda] == [DONE]
    assert state.drift == 300


@pytest.mark.parametrize("move", [ac.advance, ac.extend])
def test_moves_need_a_running_item(move):
    with pytest.raises(ProgrammeError) as refused:
        move(items(15), at(0))
    assert refused.value.code == "not_running"


def test_an_empty_agenda_cannot_begin():
    with pytest.raises(ProgrammeError) as refused:
        ac.begin([], at(0))
    assert refused.value.code == "empty_agenda"


def test_half_a_minute_off_is_on_plan():
    assert [ac.drift_minutes(s) for s in (-29, 0, 29, 30, 89, 90, -90)] == [0, 0, 0, 1, 1, 2, -2]


def test_a_programme_run_on_another_day_is_measured_from_its_own_start():
    rehearsal = START + timedelta(days=14, minutes=-7)
    agenda = ac.begin(items(15, 20), rehearsal)
    state = ac.read(START, agenda, rehearsal + timedelta(minutes=5))
    assert state.drift == 0 and state.planned_starts[1] == rehearsal + timedelta(minutes=15)
    early = ac.read(START, ac.begin(items(15), at(-5)), at(-4))
    assert ac.drift_minutes(early.drift) == -5  # five minutes early on the day: ahead
