"""A sparring note whose save fails in the database never reaches the log."""

import logging

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from tests.live import test_notes as notes

SECRET, press, write = notes.SECRET, notes.press, notes.write
circle = notes.circle  # the fixture: four members in a running sparring group

REFUSE = {
    "sqlite": ["CREATE TRIGGER refuse_notes BEFORE INSERT ON case_note "
               "BEGIN SELECT RAISE(ABORT, 'notes refused'); END"],
    "postgresql": [
        "CREATE FUNCTION refuse_notes() RETURNS trigger AS "
        "$$ BEGIN RAISE EXCEPTION 'notes refused'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_notes BEFORE INSERT ON case_note "
        "FOR EACH ROW EXECUTE FUNCTION refuse_notes()"],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER IF EXISTS refuse_notes"],
    "postgresql": ["DROP TRIGGER IF EXISTS refuse_notes ON case_note",
                   "DROP FUNCTION IF EXISTS refuse_notes()"],
}


@pytest.mark.own_app(PROPAGATE_EXCEPTIONS=False)  # as in production: the error is logged
def test_a_failed_note_save_logs_one_entry_without_the_text(room, client, login_as, circle,
                                                            caplog):
    group, _case_giver, _questioner, note_takers = circle
    login_as(note_takers[0])
    press(client, group, "start")
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        for statement in REFUSE[dialect]:
            conn.exec_driver_sql(statement)
    try:
        with caplog.at_level(logging.INFO):
            response = write(client, group)
    finally:
        with db.engine.begin() as conn:
            for statement in ALLOW[dialect]:
                conn.exec_driver_sql(statement)
    assert response.status_code == 500
    assert SECRET not in response.text and "Traceback" not in response.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1  # one line, with one traceback
    text = caplog.text
    assert "notes refused" in text  # the reason is there ...
    assert SECRET not in text and "medarbejder" not in text  # ... the note's text is not
    assert text.count("Traceback (most recent call last)") == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("case_note"))) == 0
