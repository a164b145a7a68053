"""The demo: the east network's coming meeting is ready to run all three exercises."""

import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.grouping import pairs_of
from netapp.live.models import Exercise, FlipoverPoint
from netapp.meetings.models import Answer, Attendance


def test_the_demo_sets_up_the_coming_meeting(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    exercises = db.session.scalars(sa.select(Exercise).order_by(Exercise.id)).all()
    coming = [e for e in exercises if e.status == "ready"]
    assert [e.kind for e in coming] == ["presentation", "interviews", "sparring"]
    said_yes = db.session.scalars(
        sa.select(Attendance.user_id).where(
            Attendance.meeting_id == coming[0].meeting_id, Attendance.answer == Answer.YES
        )
    ).all()
    assert sorted(coming[0].speaker_ids) == sorted(said_yes)  # those who said yes speak
    assert sorted(len(g.members) for g in coming[2].groups) == [3, 3, 3]  # nine said yes
    earlier_pairs = pairs_of(p.member_ids for p in exercises[0].pairs)
    assert not earlier_pairs & pairs_of(p.member_ids for p in coming[1].pairs)
    assert db.session.scalar(sa.select(sa.func.count(FlipoverPoint.id))) == 6
