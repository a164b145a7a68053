"""GDPR: export one's own data, delete the account, and the metadata walk behind both."""

import json

import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Goal, Meeting, TopicWish
from netapp.networks.models import Membership, Role
from netapp.privacy import services
from tests import factories as f


def _member_with_history():
    net = f.network()
    f.member(net, Role.COORDINATOR)
    person = f.member(net, Role.MEMBER, name="Gitte Gdpr")
    meeting = f.meeting(net, host=person)
    db.session.add_all([
        Attendance(meeting=meeting, user=person, answer=Answer.NO, reason="Syg"),
        Goal(network_id=net.id, owner_id=person.id, text="Delegere mere"),
        TopicWish(network_id=net.id, author_id=person.id, text="Svære samtaler"),
    ])
    db.session.commit()
    return net, person, meeting


def test_every_user_reference_is_deleted_or_nulled_by_the_database():
    for column in services.user_references():
        [fk] = [fk for fk in column.foreign_keys]
        assert fk.ondelete in ("CASCADE", "SET NULL"), (
            f"{column.table.name}.{column.name} must say what happens when a member is deleted"
        )
        if fk.ondelete == "SET NULL":
            assert column.nullable, f"{column.table.name}.{column.name} is SET NULL but NOT NULL"


def test_export_needs_the_password_and_holds_my_rows(client, login_as):
    _net, person, _meeting = _member_with_history()
    login_as(person)
    wrong = client.post("/privacy/export", data={"password": "not mine at all"})
    assert "That is not your password." in wrong.text
    response = client.post("/privacy/export", data={"password": f.PASSWORD})
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["account"]["name"] == "Gitte Gdpr"
    assert "password_hash" not in data["account"] and "session_token" not in data["account"]
    assert data["attendance"][0]["reason"] == "Syg"
    assert data["goal"][0]["text"] == "Delegere mere"
    assert data["topic_wish"][0]["text"] == "Svære samtaler"
    assert len(data["membership"]) == 1
    # every table that points to a user is in the export or deliberately left out
    for column in services.user_references():
        assert column.table.name in data or column.table.name in services.LEFT_OUT


def test_delete_account_leaves_no_reference_and_keeps_shared_records(client, login_as):
    net, person, meeting = _member_with_history()
    person_id = person.id
    login_as(person)
    refused = client.post("/privacy/delete", data={"password": f.PASSWORD})
    assert "Tick the box to confirm." in refused.text
    response = client.post("/privacy/delete", data={"password": f.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    for column in services.user_references():
        left = db.session.scalar(
            sa.select(sa.func.count()).select_from(column.table).where(column == person_id)
        )
        assert left == 0, f"{column.table.name}.{column.name} still points to the deleted member"
    kept = db.session.get(Meeting, meeting.id)
    assert kept is not None and kept.host_id is None
    assert db.session.scalar(sa.select(sa.func.count(TopicWish.id))) == 1  # the wish stays
    assert client.get("/home").status_code == 302  # the session is gone


def test_the_last_coordinator_must_hand_on_before_deleting(client, login_as):
    net = f.network(name="Netværk Nord")
    boss = f.member(net, Role.COORDINATOR)
    f.member(net, Role.MEMBER)
    login_as(boss)
    page = client.post("/privacy/delete", data={"password": f.PASSWORD, "confirm": "y"})
    assert "Netværk Nord" in page.text
    assert db.session.get(type(boss), boss.id) is not None
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 2


def test_privacy_page_in_three_languages(client):
    assert "Privatliv" in client.get("/privacy/?lang=da").text
    assert "Personvern" in client.get("/privacy/?lang=nb").text
    assert "never ask for a CPR number" in client.get("/privacy/?lang=en").text
