"""Input hygiene in one layer: every form inherits BaseForm, which refuses control
characters, line breaks in one-line fields, file parts in text fields and dates out of
range with a message; ids beyond the database's range are 404 on every route; the error
page rolls the failed transaction back; a mail header never holds a line break."""

import importlib
import io
import pkgutil
import re
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import abort
from flask_wtf import FlaskForm
from wtforms import Form

import netapp
from netapp import hygiene, mail
from netapp.extensions import db
from netapp.forms import BaseForm
from netapp.meetings import planning
from netapp.meetings.models import Meeting
from netapp.networks.models import Role
from tests import factories as f
from tests.submits import once

DANISH_CONTROL = "Fjern de usynlige kontroltegn fra feltet."
DANISH_ONE_LINE = "Feltet tager kun én linje: fjern linjeskiftene."
DANISH_NOT_A_FILE = "Feltet tager tekst, ikke en fil."


def _all_form_classes() -> list[type]:
    for module in pkgutil.walk_packages(netapp.__path__, "netapp."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return [c for c in found if c.__module__.startswith("netapp.")]


def test_every_form_inherits_the_hygiene_layer():
    forms = _all_form_classes()
    assert len(forms) > 40, "the walk found too few forms to prove anything"
    strays = sorted(f"{c.__module__}.{c.__name__}" for c in forms
                    if c is not BaseForm and not issubclass(c, BaseForm))
    assert not strays, f"forms that do not inherit netapp.forms.BaseForm: {strays}"
    assert issubclass(BaseForm, FlaskForm)


# Values a view reads straight from the request, beside its form; each is checked here.
RAW_READS = {
    ("netapp/networks/views.py", 'request.form.get("go")'),
    ("netapp/meetings/views_goals.py", 'request.form.get("back_to_meeting", "")'),
    ("netapp/meetings/views_tasks.py", 'request.form.get("assignee_id", "")'),
    ("netapp/meetings/views_wishes.py", 'request.form.get("meeting_id", "")'),
    # only whether a once-token came at all; its value is read through the form
    ("netapp/once.py", 'request.form.get(form.once.name)'),
}


def test_views_read_submitted_values_through_forms():
    root = Path(netapp.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"request\.(form|files|values|get_json|json)\b[^\n)]*\)?", text):
            found.add((str(path.relative_to(root.parent)), match.group(0)))
    assert found == RAW_READS, "a view reads the request beside the form layer: check it " \
                               "(as_id for ids) and list it here"


# --- the form layer, seen by a member -------------------------------------------------

@pytest.fixture
def member_in(app, login_as):
    network = f.network()
    person = f.member(network, Role.COORDINATOR, language="da")
    login_as(person)
    return network, person


def test_nul_in_a_name_is_refused_with_a_message_and_nothing_is_saved(app, client, member_in):
    network, _person = member_in
    response = client.post(f"/networks/{network.id}/setup/1",
                           data={"name": "Ledere\x00", "purpose": "Godt"})
    assert response.status_code == 200
    assert DANISH_CONTROL in response.text
    assert 'value="Ledere"' in response.text  # what was typed comes back, cleaned
    db.session.expire_all()
    assert db.session.get(type(network), network.id).name == network.name


def test_a_line_break_in_a_network_name_is_refused(app, client, member_in):
    network, _person = member_in
    response = client.post(f"/networks/{network.id}/setup/1",
                           data={"name": "Ledere\r\nBcc: evil@example.com", "purpose": "A\r\nB"})
    assert response.status_code == 200
    assert DANISH_ONE_LINE in response.text
    assert DANISH_CONTROL not in response.text  # the multi-line purpose may hold lines
    db.session.expire_all()
    assert "\n" not in db.session.get(type(network), network.id).name


def test_a_file_part_in_a_text_field_is_a_field_error(app, client, member_in):
    network, _person = member_in
    response = client.post(
        f"/networks/{network.id}/setup/1",
        data={"name": (io.BytesIO(b"%PDF-1.4"), "cv.pdf"), "purpose": "Godt"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert DANISH_NOT_A_FILE in response.text


def test_a_file_part_in_a_number_field_is_a_field_error(app, client, member_in):
    network, _person = member_in
    response = client.post(
        f"/meetings/network/{network.id}/settings",
        data={"reminder_days_before": (io.BytesIO(b"3"), "x.txt"),
              "answer_deadline_days": "7", "lunch_budget": "100"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert DANISH_NOT_A_FILE in response.text


def test_a_json_body_that_is_no_object_is_no_crash(app, client, member_in):
    network, _person = member_in
    response = client.post(f"/networks/{network.id}/setup/1", json=[1, 2])
    assert response.status_code < 500


def test_htmx_gets_a_fragment_with_the_message(app, client, member_in):
    network, _person = member_in
    meeting = f.meeting(network, topic="Delegering")
    response = client.post(f"/meetings/{meeting.id}/agenda/items", headers={"HX-Request": "true"},
                           data={"once": once(), "kind": "other", "title": "Punkt\x00",
                                 "minutes": "10"})
    assert response.status_code < 500
    assert DANISH_CONTROL in response.text
    assert "<html" not in response.text
    assert not meeting.agenda


def test_summary_notes_by_item_go_through_the_layer(app, client, member_in):
    network, _person = member_in
    meeting = f.meeting(network)
    client.post(f"/meetings/{meeting.id}/agenda/items", data={"once": once(), "kind": "other",
                                                        "title": "Punkt", "minutes": "10"})
    item = db.session.scalars(sa.select(Meeting).where(Meeting.id == meeting.id)).one().agenda[0]
    response = client.post(f"/meetings/{meeting.id}/summary",
                           data={"summary": "Fint", f"note-{item.id}": "Note\x00"})
    assert response.status_code == 200
    assert DANISH_CONTROL in response.text
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).summary == ""


@pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_meeting_date_out_of_range_is_refused(app, client, member_in, day):
    network, _person = member_in
    response = client.post(f"/meetings/network/{network.id}/new", data={
        "kind": "following", "day": day, "start": "17:00", "end": "20:00", "host_id": ""})
    assert response.status_code == 200
    assert "Angiv en dato mellem årene 2000 og 2100." in response.text
    assert not db.session.scalars(sa.select(Meeting)).all()


def test_a_series_past_the_year_range_is_refused(app, client, member_in):
    network, _person = member_in
    response = client.post(f"/meetings/network/{network.id}/series", data={
        "once": once(), "kind": "following", "day": "2099-06-09", "start": "17:00",
        "end": "20:00", "count": "12", "every_months": "3", "host_id": ""})
    assert response.status_code == 200
    assert "Serien ville løbe ud over år 2100. Planlæg færre møder." in response.text
    assert not db.session.scalars(sa.select(Meeting)).all()


def test_series_days_stop_at_the_last_year():
    with pytest.raises(planning.PlanningError) as refused:
        planning.series_days(date(9999, 6, 1), 12, 3)
    assert set(refused.value.errors) == {"count"}


# --- ids ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("12", 12), (str(hygiene.MAX_ID), hygiene.MAX_ID), (str(2**31), None), ("²", None),
    ("١٢", None), ("-1", None), ("", None), ("9" * 5000, None), (None, None)])
def test_as_id(value, expected):
    assert hygiene.as_id(value) == expected


def test_a_raw_task_assignee_of_any_size_is_no_crash(app, client, member_in):
    network, _person = member_in
    meeting = f.meeting(network)
    task = f.task(meeting, "catering")
    for chosen in (str(2**63), "²", "\x00"):
        response = client.post(f"/meetings/{meeting.id}/tasks/{task.id}/assign",
                               data={"assignee_id": chosen})
        assert response.status_code < 500


# --- the error page after a failed statement -------------------------------------------

@pytest.mark.own_app(PROPAGATE_EXCEPTIONS=False)
def test_the_error_page_rolls_the_failed_transaction_back(app, client, member_in, monkeypatch):
    """On PostgreSQL a failed statement aborts the transaction: without a rollback the
    error page's own query (the user's name in the header) fails as well."""

    def broken(**_args):
        try:
            db.session.execute(sa.text("SELECT * FROM no_such_table"))
        except sa.exc.DBAPIError:
            abort(404)

    def crash(**_args):
        db.session.execute(sa.text("SELECT * FROM no_such_table"))

    network, person = member_in
    for view, status in ((broken, 404), (crash, 500)):
        monkeypatch.setitem(app.view_functions, "meetings.settings", view)
        response = client.get(f"/meetings/network/{network.id}/settings")
        assert response.status_code == status
        assert person.name in response.text  # the full page, with the header, rendered


# --- mail headers --------------------------------------------------------------------

def test_a_subject_never_holds_a_line_break(app):
    with app.test_request_context():
        msg = mail.build("a@example.com", "Netværk\r\nBcc: evil@example.com\u2028x\x00",
                         "Body\x00 text")
        sent = bytes(msg)
    assert msg["Subject"] == "Netværk Bcc: evil@example.com x"
    parsed = BytesParser(policy=policy.default).parsebytes(sent)
    assert parsed["Bcc"] is None and parsed["Subject"] == "Netværk Bcc: evil@example.com x"
    assert "\x00" not in msg.get_content()


def test_an_invitation_goes_out_for_a_network_stored_with_a_line_break(app, outbox):
    from netapp.networks import invitations as inv

    network = f.network(name="Ledere\r\nBcc: evil@example.com")
    coordinator = f.member(network, Role.COORDINATOR)
    with app.test_request_context():
        outgoing = inv.invite_many(network, coordinator, "new@example.com", "core")[0][0]
        inv.send(outgoing, coordinator)
        db.session.commit()
    sent = outbox()
    assert len(sent) == 1
    assert "\n" not in sent[0]["Subject"] and "Ledere Bcc: evil@example.com" in sent[0]["Subject"]
    assert sent[0]["Bcc"] is None


def test_wtforms_own_messages_are_in_the_users_language(app, client, member_in):
    network, _person = member_in
    response = client.post(f"/meetings/network/{network.id}/settings", data={
        "reminder_days_before": "tre", "answer_deadline_days": "7", "lunch_budget": "100"})
    assert response.status_code == 200
    assert "Skriv et helt tal." in response.text
    assert "Not a valid integer value." not in response.text
