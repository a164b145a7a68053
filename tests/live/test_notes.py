"""Case notes: only their author and the case-giver ever read them; goals; retention."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.models import CaseNote, SparringGroup
from netapp.meetings.models import Answer, Attendance, Goal
from tests import factories as f
from tests.live.helpers import HX
from tests.submits import once

SECRET = "Min medarbejder er sygemeldt med stress"


@pytest.fixture
def circle(room):
    """A running sparring group of four members; the coordinator and facilitator sit outside."""
    db.session.execute(
        sa.update(Attendance)
        .where(Attendance.user_id.in_([room.coordinator.id, room.facilitator.id]))
        .values(answer=Answer.NO, checked_in=False)
    )
    db.session.commit()
    for name in ("Member 07",):
        person = f.member(room.net, name=name)
        f.attendance(room.meeting, person, checked_in=True)
        room.members.append(person)
    exercise = f.live_exercise(room.meeting, "sparring")  # 8 members: two groups of four
    group = exercise.groups[0]
    ids = group.member_ids
    assert len(ids) == 4
    people = {u.id: u for u in room.members}
    case_giver, questioner, *note_takers = (people[i] for i in ids)
    return group, case_giver, questioner, note_takers


def press(client, group, action):
    db.session.expire_all()
    version = db.session.get(SparringGroup, group.id).version
    return client.post(f"/live/group/{group.id}/control/{action}", data={"version": version},
                       headers=HX)


def write(client, group, text=SECRET, round_index=0):
    return client.post(f"/live/group/{group.id}/notes", data={"once": once(),
                                                              "round": round_index, "text": text},
                       headers=HX)


def test_a_note_taker_writes_for_the_case_giver(room, client, login_as, circle):
    group, case_giver, questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    response = write(client, group)
    assert "Note saved for the case-giver." in response.text and SECRET in response.text
    note = db.session.scalar(sa.select(CaseNote))
    assert (note.author_id, note.case_giver_id, note.round_index) == (
        note_takers[0].id, case_giver.id, 0)


def test_the_case_giver_sees_the_notes_after_the_round(room, client, login_as, circle):
    group, case_giver, questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    write(client, group)
    client.post("/auth/logout")
    login_as(case_giver)
    panel = client.get(f"/live/group/{group.id}/notes", headers=HX).text
    assert SECRET not in panel and "You see them when the round is over" in panel
    for _ in range(4):  # the four phases of round 1
        press(client, group, "next")
    panel = client.get(f"/live/group/{group.id}/notes", headers=HX).text
    assert SECRET in panel and "Make it a goal" in panel


@pytest.mark.parametrize("reader", ["questioner", "other_note_taker", "coordinator",
                                    "facilitator", "admin", "outsider"])
def test_nobody_else_reads_a_note(room, client, login_as, circle, reader):
    group, case_giver, questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    write(client, group)
    for _ in range(4):
        press(client, group, "next")
    client.post("/auth/logout")
    person = {"questioner": questioner, "other_note_taker": note_takers[-1],
              "coordinator": room.coordinator, "facilitator": room.facilitator,
              "admin": room.admin, "outsider": room.outsider}[reader]
    assert person.id not in (note_takers[0].id, case_giver.id)
    login_as(person)
    note = db.session.scalar(sa.select(CaseNote))
    exercise_id = group.exercise_id
    for path in [f"/live/group/{group.id}", f"/live/group/{group.id}/notes",
                 f"/live/group/{group.id}/clock", f"/live/exercise/{exercise_id}",
                 f"/live/exercise/{exercise_id}/projector", f"/live/exercise/{exercise_id}/clock",
                 f"/live/meeting/{room.meeting.id}"]:
        response = client.get(path, follow_redirects=True)
        assert SECRET not in response.text, (reader, path)
        if reader in ("admin", "outsider"):
            assert response.status_code == 404
    goal = client.post(f"/live/note/{note.id}/goal", data={"once": once(), "text": "Stjålet"})
    assert goal.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Goal.id))) == 0


def test_only_note_takers_write_and_only_for_a_round_that_has_come(room, client, login_as,
                                                                     circle):
    group, case_giver, questioner, note_takers = circle
    login_as(note_takers[0])
    assert "Only the note-takers" in write(client, group).text  # not started yet
    press(client, group, "start")
    assert "Only the note-takers" in write(client, group, round_index=1).text
    assert "Only the note-takers" in write(client, group, round_index=-1).text
    assert "at most 1000" in write(client, group, text="x" * 1001).text.replace(
        "Field cannot be longer than 1000 characters", "at most 1000")
    client.post("/auth/logout")
    for person in (case_giver, questioner):
        login_as(person)
        assert "Only the note-takers" in write(client, group).text
        client.post("/auth/logout")
    assert db.session.scalar(sa.select(sa.func.count(CaseNote.id))) == 0


def test_the_case_giver_turns_a_note_into_a_goal(room, client, login_as, circle):
    group, case_giver, questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    write(client, group, text="Tal med Karin om vagtplanen")
    client.post("/auth/logout")
    login_as(case_giver)
    for _ in range(4):  # the note is the case-giver's once round 1 is over
        press(client, group, "next")
    note = db.session.scalar(sa.select(CaseNote))
    response = client.post(f"/live/note/{note.id}/goal", data={"once": once(),
                                                               "text": "Tale med Karin i uge 12"},
                           headers=HX)
    assert "Saved as your goal" in response.text
    goal = db.session.scalar(sa.select(Goal))
    assert (goal.owner_id, goal.network_id, goal.set_at_meeting_id, goal.text) == (
        case_giver.id, room.net.id, room.meeting.id, "Tale med Karin i uge 12")


def test_purge_expired_deletes_notes_after_the_retention_period(app, room, circle):
    group, case_giver, questioner, note_takers = circle
    now = datetime(2026, 6, 1, 12, 0)
    room.org.note_retention_days = 30
    for age in (31, 29):
        db.session.add(CaseNote(group_id=group.id, round_index=0, network_id=room.net.id,
                                author_id=note_takers[0].id, case_giver_id=case_giver.id,
                                text=f"{age} days old", created_at=now - timedelta(days=age)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-expired", "--now", now.isoformat()])
    assert result.exit_code == 0 and "Deleted 1 expired sparring notes." in result.output
    assert db.session.scalars(sa.select(CaseNote.text)).all() == ["29 days old"]
