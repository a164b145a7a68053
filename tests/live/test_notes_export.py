"""The case-giver's data export and the note-to-goal button follow the notes panel: a note
from a round still running is withheld everywhere until the round is over."""

import json

import sqlalchemy as sa

from netapp.extensions import db
from netapp.live.models import CaseNote
from netapp.meetings.models import Goal
from tests import factories as f
from tests.live import test_notes
from tests.live.test_notes import SECRET, press, write
from tests.submits import once

circle = test_notes.circle  # the running sparring group of four, as a fixture here too


def exported(client) -> dict:
    response = client.post("/privacy/export", data={"password": f.PASSWORD})
    assert response.mimetype == "application/json"
    return json.loads(response.text)


def note_texts(data: dict) -> list[str]:
    return [row["text"] for key, rows in data.items() if key.startswith("case_note")
            for row in rows]


def test_the_export_withholds_notes_of_a_running_round(room, client, login_as, circle):
    group, case_giver, _questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    write(client, group)
    assert SECRET in note_texts(exported(client))  # the author always has their own note
    login_as(case_giver)
    assert SECRET not in json.dumps(exported(client), ensure_ascii=False)
    for _ in range(4):  # the four phases of round 1: now the panel shows the note
        press(client, group, "next")
    assert SECRET in client.get(f"/live/group/{group.id}/notes").text
    assert note_texts(exported(client)) == [SECRET]


def test_a_note_of_a_running_round_cannot_become_a_goal(room, client, login_as, circle):
    group, case_giver, _questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    write(client, group)
    note_id = db.session.scalar(sa.select(CaseNote.id))
    login_as(case_giver)
    response = client.post(f"/live/note/{note_id}/goal",
                           data={"once": once(), "text": "Guessed id"})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Goal.id))) == 0
    for _ in range(4):
        press(client, group, "next")
    client.post(f"/live/note/{note_id}/goal", data={"once": once(), "text": "Talk to HR"})
    db.session.expire_all()
    assert [g.text for g in db.session.scalars(sa.select(Goal))] == ["Talk to HR"]
