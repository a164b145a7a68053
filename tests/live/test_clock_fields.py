"""The clock's fields and steps are defined once: clock.FIELDS and clock.steps."""

from datetime import datetime

import sqlalchemy as sa

from netapp.extensions import db
from netapp.live import clock, polling, services
from netapp.live.clock import ClockState, Status
from netapp.live.models import Exercise, SparringGroup
from tests import factories as f

NOW = datetime(2026, 5, 4, 10, 0)


def test_every_clock_field_is_a_column_of_both_clocked_tables():
    for model in (Exercise, SparringGroup):
        columns = set(sa.inspect(model).columns.keys())
        assert set(clock.FIELDS) <= columns, model.__name__
    assert model.CLOCK_FIELDS == clock.FIELDS


def test_a_stored_clock_reads_back_as_the_same_state(room):
    exercise = f.live_exercise(room.meeting, "presentation")
    state = ClockState(status=Status.RUNNING, step_index=2, started_at=NOW,
                       paused_seconds=1.5, extra_seconds=60, version=7)
    exercise.set_clock(state)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Exercise, exercise.id).clock_state() == state


def test_the_poll_and_the_page_count_the_same_steps(room):
    """The fast 204 path and the full fragment use one step list for a sparring group."""
    exercise = f.live_exercise(room.meeting, "sparring")
    group = exercise.groups[0]
    assert services.durations_of(group) == clock.steps(
        exercise.durations, services.rounds_for(exercise.rounds, len(group.members))
    )
    reader = next(p for p in room.everyone if p.id in group.member_ids)
    stored = group.clock_state()
    expected = polling.fingerprint(
        services.effective_state(group, NOW),
        clock.is_overdue(services.effective_state(group, NOW), services.durations_of(group), NOW),
        exercise.revision, NOW,
    )
    assert stored == clock.state_of(group)
    assert polling.group_fingerprint(group.id, f.device_token(reader), NOW) == expected
