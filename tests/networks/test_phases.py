"""The phase plan: who plans it, what it refuses, and what a participant per phase sees,
is invited to and is asked for."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings import attendance, mailing
from netapp.meetings.models import Meeting
from netapp.networks import phases
from netapp.networks.models import Membership, Participation, Phase, PhaseParticipant, Role
from tests import factories as f
from tests.submits import once

NOW = datetime(2026, 11, 22, 9, 0, 10)  # tests/conftest.py FROZEN_NOW


def _per_phase(network, name):
    person = f.member(network, Role.MEMBER, name=name)
    db.session.scalar(sa.select(Membership).where(
        Membership.user_id == person.id)).participation = Participation.PHASE
    db.session.commit()
    return person


def _form(name, start: date, end: date, people=(), **extra):
    return {"name": name, "purpose": "Why", "starts_on": start.isoformat(),
            "ends_on": end.isoformat(), "participants": [str(p.id) for p in people],
            "once": once(), **extra}


@pytest.fixture
def plan(world, frozen_clock):
    world.citizen = _per_phase(world.a, "Bo Borger")
    world.researcher = _per_phase(world.a, "Rita Researcher")
    return world


def _phases(network_id):
    return phases.phases_of(network_id)


def test_coordinator_plans_three_phases_and_the_page_shows_the_timeline(client, login_as, plan):
    login_as(plan.coordinator)
    base = f"/networks/{plan.a.id}/phases"
    today = NOW.date()
    for name, start, end, people in [
        ("Forstå", today - timedelta(days=10), today + timedelta(days=20), [plan.citizen]),
        ("Udvikl", today + timedelta(days=21), today + timedelta(days=60), [plan.researcher]),
        ("Forankr", today + timedelta(days=61), today + timedelta(days=120), [plan.citizen]),
    ]:
        assert client.post(base, data=_form(name, start, end, people)).status_code == 302
    made = _phases(plan.a.id)
    assert [p.name for p in made] == ["Forstå", "Udvikl", "Forankr"]
    assert made[0].participant_ids == {plan.citizen.id}
    page = client.get(f"/networks/{plan.a.id}").get_data(as_text=True)
    assert "Now: Forstå" in page and "1. Forstå" in page and "3. Forankr" in page


def test_bad_phases_say_so_at_the_field_and_keep_what_was_typed(client, login_as, plan):
    login_as(plan.coordinator)
    base = f"/networks/{plan.a.id}/phases"
    today = NOW.date()
    back = client.post(base, data=_form("Backwards", today + timedelta(days=5), today))
    assert back.status_code == 200
    text = back.get_data(as_text=True)
    assert "The phase must end on or after the day it starts." in text
    assert 'value="Backwards"' in text and 'id="ends_on-err"' in text  # beside its field
    first = client.post(base, data=_form("One", today, today + timedelta(days=30)))
    assert first.status_code == 302
    overlap = client.post(base, data=_form("Two", today + timedelta(days=30),
                                           today + timedelta(days=40)))
    assert overlap.status_code == 200
    assert "The period overlaps the phase “One”" in overlap.get_data(as_text=True)
    assert [p.name for p in _phases(plan.a.id)] == ["One"]


def test_a_participant_per_phase_cannot_lose_their_only_phase(client, login_as, plan):
    login_as(plan.coordinator)
    today = NOW.date()
    base = f"/networks/{plan.a.id}/phases"
    client.post(base, data=_form("One", today, today + timedelta(days=30), [plan.citizen]))
    phase = _phases(plan.a.id)[0]
    edit = client.post(f"{base}/{phase.id}", data=_form("One", today, today + timedelta(days=30)))
    assert edit.status_code == 200
    assert "Bo Borger would be left without a phase" in edit.get_data(as_text=True)
    db.session.expire_all()
    assert _phases(plan.a.id)[0].participant_ids == {plan.citizen.id}
    gone = client.post(f"{base}/{phase.id}/delete", follow_redirects=True)
    assert "Bo Borger would be left without a phase" in gone.get_data(as_text=True)
    assert len(_phases(plan.a.id)) == 1


def test_a_meeting_outside_every_phase_is_refused(client, login_as, plan):
    login_as(plan.coordinator)
    today = NOW.date()
    client.post(f"/networks/{plan.a.id}/phases",
                data=_form("One", today, today + timedelta(days=30)))
    outside = today + timedelta(days=45)
    r = client.post(f"/meetings/network/{plan.a.id}/new", data={
        "kind": "following", "day": outside.isoformat(), "start": "13:00", "end": "16:00",
        "host_id": "", "topic": "Kept topic", "once": once()})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "lies outside every phase" in text and 'value="Kept topic"' in text
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0
    inside = client.post(f"/meetings/network/{plan.a.id}/new", data={
        "kind": "following", "day": (today + timedelta(days=3)).isoformat(), "start": "13:00",
        "end": "16:00", "host_id": "", "topic": "In phase one", "once": once()})
    assert inside.status_code == 302
    assert db.session.scalar(sa.select(Meeting.phase_id)) == _phases(plan.a.id)[0].id


def _two_phases(world):
    today = NOW.date()
    one = Phase(network_id=world.a.id, name="One", starts_on=today,
                ends_on=today + timedelta(days=20))
    two = Phase(network_id=world.a.id, name="Two", starts_on=today + timedelta(days=21),
                ends_on=today + timedelta(days=60))
    db.session.add_all([one, two])
    db.session.flush()
    one.participants = [PhaseParticipant(user_id=world.citizen.id)]
    first = f.meeting(world.a, starts_at=NOW + timedelta(days=5), topic="First phase meeting")
    second = f.meeting(world.a, starts_at=NOW + timedelta(days=30), topic="Second phase meeting")
    phases.assign_meetings(world.a)
    db.session.commit()
    return first, second


def test_a_participant_per_phase_is_invited_only_to_their_phase(app, plan):
    first, second = _two_phases(plan)
    with app.test_request_context():
        assert plan.citizen.id in {u.id for u in attendance.invitees(first)}
        assert plan.citizen.id not in {u.id for u in attendance.invitees(second)}
        assert plan.member.id in {u.id for u in attendance.invitees(second)}  # core: every phase
        assert plan.citizen.id not in {u.id for u, _a in attendance.roster(second)}
        sent = mailing.send_invitations(second, NOW)
    assert sent == len(attendance.invitees(second))


def test_participant_per_phase_sees_their_phase_and_is_not_asked_for_the_contract(
        client, login_as, plan):
    first, second = _two_phases(plan)
    login_as(plan.citizen)
    assert client.get(f"/meetings/{first.id}").status_code == 200
    assert client.get(f"/meetings/{second.id}").status_code == 403
    listing = client.get(f"/meetings/network/{plan.a.id}").get_data(as_text=True)
    assert "First phase meeting" in listing and "Second phase meeting" not in listing
    page = client.get(f"/networks/{plan.a.id}").get_data(as_text=True)
    assert "You take part in this phase" in page
    assert "not asked to accept the contract" in page
    home = client.get("/home").get_data(as_text=True)
    assert "Read and accept the contract" not in home
    assert client.get(f"/meetings/network/{plan.a.id}/goals").status_code == 403


def test_the_co_driver_plans_phases_and_an_ordinary_member_does_not(client, login_as, plan):
    login_as(plan.member)
    assert client.get(f"/networks/{plan.a.id}/phases").status_code == 403
    login_as(plan.coordinator)
    r = client.post(f"/networks/{plan.a.id}/co-driver", data={"co_driver": str(plan.member.id)})
    assert r.status_code == 302
    bad = client.post(f"/networks/{plan.a.id}/co-driver",
                      data={"co_driver": str(plan.citizen.id)})  # not a core participant
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True), bad.text
    login_as(plan.member)
    assert client.get(f"/networks/{plan.a.id}/phases").status_code == 200
    today = NOW.date()
    made = client.post(f"/networks/{plan.a.id}/phases",
                       data=_form("By the co-driver", today, today + timedelta(days=9)))
    assert made.status_code == 302 and _phases(plan.a.id)[0].name == "By the co-driver"


def test_the_organisation_admin_reads_the_plan_but_not_its_content(client, login_as, plan):
    first, _second = _two_phases(plan)
    login_as(plan.admin)
    page = client.get(f"/networks/org/{plan.org.id}/networks/{plan.a.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "One" in text and "Two" in text and "First phase meeting" not in text
    assert "Bo Borger" not in text  # figures: how many are brought in, never who
    assert client.post(f"/networks/{plan.a.id}/phases", data=_form(
        "Admin's", NOW.date(), NOW.date())).status_code == 404
    assert client.get(f"/networks/org/{plan.org.id}/networks/{plan.b.id}").status_code == 200
    stranger = f.org_admin(f.organisation())
    login_as(stranger)
    assert client.get(f"/networks/org/{plan.org.id}/networks/{plan.a.id}").status_code == 404


def test_a_network_without_coordinator_warns_on_the_organisation_overview(client, login_as,
                                                                         world):
    lonely = f.network(world.org, name="Nobody runs me")
    f.member(lonely, Role.MEMBER)
    login_as(world.admin)
    text = client.get(f"/evaluations/org/{world.org.id}").get_data(as_text=True)
    row = text[text.index("Nobody runs me"):]
    assert "No coordinator" in row[:row.index("</tr>")]
    row_a = text[text.index("Network A"):]
    assert "No coordinator" not in row_a[:row_a.index("</tr>")]


def test_another_networks_phase_and_people_open_nothing(client, login_as, plan):
    _two_phases(plan)
    phase = _phases(plan.a.id)[0]
    login_as(plan.other)  # coordinator of network B
    assert client.get(f"/networks/{plan.b.id}/phases/{phase.id}").status_code == 404
    assert client.post(f"/networks/{plan.b.id}/phases/{phase.id}/delete").status_code == 404
    assert client.get(f"/networks/{plan.a.id}/phases/{phase.id}").status_code == 404
    assert client.get(f"/networks/{plan.b.id}/phases/{2**63}").status_code == 404
    # B's coordinator cannot bring A's participant into a phase of B
    made = client.post(f"/networks/{plan.b.id}/phases", data=_form(
        "B's", NOW.date(), NOW.date(), [plan.citizen]))
    assert made.status_code == 200 and _phases(plan.b.id) == []
    db.session.expire_all()
    assert len(_phases(plan.a.id)[0].participants) == 1


def test_the_answer_link_and_the_feed_keep_to_their_phases(app, client, login_as, plan):
    first, second = _two_phases(plan)
    with app.test_request_context():
        link = attendance.answer_token(second, plan.citizen)
    r = client.get(f"/meetings/{second.id}/rsvp/{link}?a=yes")
    assert r.status_code == 400  # a link for a meeting of another phase opens nothing
    from netapp.meetings.calendar import reset_feed

    token = reset_feed(plan.citizen.id)
    db.session.commit()
    text = client.get(f"/meetings/feed/{token}.ics").get_data(as_text=True)
    assert "First phase meeting" in text and "Second phase meeting" not in text
