"""Demo data for meetings: agendas, shared-out tasks, topic wishes, goals and a summary."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings import agenda, goals, tasks, wishes
from netapp.meetings.models import (
    Answer,
    Attendance,
    GoalStatus,
    Meeting,
    MeetingKind,
    TaskKind,
)


def seed(world) -> None:
    """Give the east network's meetings agendas and tasks, and close the loop of the last one."""
    with force_locale("da"):
        meetings = list(
            db.session.scalars(
                sa.select(Meeting)
                .where(Meeting.network_id == world.east.id)
                .order_by(Meeting.starts_at)
            )
        )
        for meeting in meetings:
            which = "first" if meeting.kind == MeetingKind.FIRST else "following"
            agenda.apply_template(meeting, which, expected=len(world.people))
            tasks.share_out(meeting)
            if meeting.topic == "Delegering":  # the guest coach facilitated this one
                facilitation = next(t for t in meeting.tasks if t.kind == TaskKind.FACILITATION)
                facilitation.assignee_id = world.guest.id
        past = [m for m in meetings if m.ends_at <= utcnow()]
        coming = [m for m in meetings if m.ends_at > utcnow()]
        if past and coming:
            _close_the_loop(world, past[-1], coming[0])
        _wishes(world)


def _close_the_loop(world, last: Meeting, upcoming: Meeting) -> None:
    """Goals set at the last meeting, its summary, and answers to the next one."""
    people = world.people
    texts = [
        (people[2], "Holde en udviklingssamtale med hver medarbejder inden næste møde."),
        (people[3], "Uddelegere bogføringen til klinikkens sekretær."),
        (people[4], "Afsætte to timer om ugen til ledelse uden patienter."),
    ]
    for owner, text in texts:
        goal = goals.create_goal(world.east, owner, text, last)
        goal.created_at = last.ends_at - timedelta(minutes=20)
    db.session.flush()
    first = db.session.scalar(sa.select(type(goal)).where(type(goal).owner_id == people[3].id))
    goals.follow_up(
        first, GoalStatus.UNDER_WAY, "Sekretæren er gået i gang; vi evaluerer om en måned."
    )
    last.summary = (
        "Vi talte om feedback i hverdagen og om at gøre den konkret. "
        "Næste gang: konflikter og lederens rolle."
    )
    for item in last.agenda:
        if item.kind.value == "topic":
            item.notes = "Feedback virker bedst kort, konkret og tæt på situationen."
        elif item.kind.value == "sparring":
            item.notes = (
                "To runder: planlægning af ferie, og en medarbejder der ofte kommer for sent."
            )
    last.summary_sent_at = last.ends_at + timedelta(days=1)
    for index, person in enumerate(people):
        if index in (5, 9):
            continue  # not answered yet: the coordinator can remind them
        answer = Answer.NO if index == 8 else Answer.YES
        db.session.add(
            Attendance(
                meeting_id=upcoming.id,
                user_id=person.id,
                answer=answer,
                reason="Ferie" if answer == Answer.NO else "",
                answered_at=utcnow() - timedelta(days=2),
            )
        )
    db.session.flush()


def _wishes(world) -> None:
    """Two topic wishes with support."""
    people = world.people
    first = wishes.add_wish(world.east.id, people[5].id, "topic", "Den svære samtale")
    second = wishes.add_wish(
        world.east.id, people[6].id, "method", "Mere tid til sparring i små grupper"
    )
    for person in people[2:6]:
        wishes.toggle_vote(first, person.id)
    for person in people[7:9]:
        wishes.toggle_vote(second, person.id)
