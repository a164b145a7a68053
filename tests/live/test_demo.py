"""The demo: the east network's coming meeting is ready to run all three exercises."""

import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.grouping import pairs_of
from netapp.live.models import Exercise, FlipoverPoint
from netapp.meetings.models import Answer, Attendance, Task, TaskKind
from netapp.networks.models import Membership, Role


def test_the_demo_sets_up_the_coming_meeting(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    exercises = db.session.scalars(sa.select(Exercise).order_by(Exercise.id)).all()
    coming = [e for e in exercises if e.status == "ready"]
    assert [e.kind for e in coming] == ["presentation", "interviews", "sparring"]
    facilitating = sa.select(Task.assignee_id).where(
        Task.meeting_id == coming[0].meeting_id, Task.kind == TaskKind.FACILITATION,
        Task.assignee_id.is_not(None))
    said_yes = db.session.scalars(
        sa.select(Attendance.user_id)
        .join(Membership, sa.and_(Membership.user_id == Attendance.user_id,
                                  Membership.network_id == coming[0].network_id))
        .where(
            Attendance.meeting_id == coming[0].meeting_id, Attendance.answer == Answer.YES,
            Membership.role.in_([Role.COORDINATOR, Role.MEMBER]),
            Attendance.user_id.not_in(facilitating),
        )
    ).all()
    # those who said yes speak; whoever runs the room (the network's facilitator, the holder
    # of the facilitation task) takes no part
    assert sorted(coming[0].speaker_ids) == sorted(said_yes)
    assert sum(len(g.members) for g in coming[2].groups) == len(said_yes)
    earlier_pairs = pairs_of(p.member_ids for p in exercises[0].pairs)
    assert not earlier_pairs & pairs_of(p.member_ids for p in coming[1].pairs)
    assert db.session.scalar(sa.select(sa.func.count(FlipoverPoint.id))) == 6
