"""Demo: the east network's coming meeting ready to run, and traces of earlier meetings.

The first meeting kept its interview pairs and flipover points; the last meeting its sparring
groups, so the new pairs and groups visibly avoid them. The coming meeting gets a
presentation round, interviews and a sparring exercise for its twelve attendees.
"""

import sqlalchemy as sa

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.live import exercises, phases
from netapp.live.clock import ClockState, Status
from netapp.live.models import ExerciseKind, FlipoverPoint
from netapp.meetings.models import Answer, Attendance, Meeting, MeetingKind

FLIPOVER = [
    "Sparring på konkrete ledelsesudfordringer – ikke kun faglige",
    "Et fortroligt rum, hvor vi tør dele tvivl",
    "Inspiration fra andre faggrupper end vores egen",
    "Blive bedre til at delegere og give slip",
    "Hjælp til at prioritere i en travl hverdag",
    "Faste mødedatoer et halvt år frem",
]


def seed(world) -> None:
    """Add the live exercises of the demo (called by `flask seed-demo`)."""
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.network_id == world.east.id).order_by(Meeting.starts_at)
    ).all()
    now = utcnow()
    past = [m for m in meetings if m.starts_at < now]
    coming = next((m for m in meetings if m.starts_at >= now), None)
    first = next((m for m in past if m.kind == MeetingKind.FIRST), None)
    if first is not None:
        interviews = exercises.create(first, ExerciseKind.INTERVIEWS, [300])
        _finished(interviews, len(interviews.durations))
        for text, person in zip(FLIPOVER, world.people, strict=False):
            db.session.add(FlipoverPoint(meeting_id=first.id, author_id=person.id, text=text))
    if past:
        sparring = exercises.create(past[-1], ExerciseKind.SPARRING, _phases(), rounds=2)
        _finished(sparring, 4)
        for group in sparring.groups:
            _finished(group, 8)
    if coming is None:
        return
    _everyone_says_yes(coming, world.people)
    exercises.create(coming, ExerciseKind.PRESENTATION, [120], sound=True)
    exercises.create(coming, ExerciseKind.INTERVIEWS, [300], sound=True)
    exercises.create(coming, ExerciseKind.SPARRING, _phases(), rounds=2, sound=True)
    db.session.flush()


def _phases() -> list[int]:
    return [step.seconds for step in phases.sparring_phases(20)]


def _finished(obj, steps: int) -> None:
    obj.set_clock(ClockState(status=Status.FINISHED, step_index=steps - 1, version=steps + 1))


def _everyone_says_yes(meeting: Meeting, people) -> None:
    """Answers for the coming meeting, unless the meetings demo already gave some."""
    answered = db.session.scalar(
        sa.select(sa.func.count(Attendance.id)).where(Attendance.meeting_id == meeting.id)
    )
    if answered:
        return
    for person in people:
        db.session.add(
            Attendance(meeting_id=meeting.id, user_id=person.id, answer=Answer.YES,
                       answered_at=utcnow())
        )
    db.session.flush()
