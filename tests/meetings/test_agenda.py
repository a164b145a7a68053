"""The agenda: templates from the seeds, moving items, lengths, and the running total."""

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.models import AgendaItem, AgendaKind, MeetingKind
from tests import factories as f
from tests.submits import once

HX = {"HX-Request": "true"}


def _titles(mtg):
    return [
        i.title
        for i in db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == mtg.id)
            .order_by(AgendaItem.position)
        )
    ]


def test_first_meeting_template_times_the_presentation_round(client, login_as, world):
    mtg = f.meeting(world.net, kind=MeetingKind.FIRST, hours=3)
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/{mtg.id}/agenda/template", data={"once": once(), "which": "first"}, headers=HX
    )
    assert response.status_code == 200 and 'id="agenda-editor"' in response.text
    items = db.session.scalars(sa.select(AgendaItem).order_by(AgendaItem.position)).all()
    kinds = [i.kind for i in items]
    assert kinds[:3] == [AgendaKind.WELCOME, AgendaKind.PRESENTATION_ROUND, AgendaKind.INTERVIEWS]
    assert items[1].minutes == 2 * 4  # coordinator and three members are expected
    assert "Ground rules (spilleregler)" in _titles(mtg)
    assert AgendaKind.SPARRING in kinds


@pytest.mark.parametrize(("language", "agreements", "evaluation"), [
    ("da", "Aftaler: roller, opgaver, mødefrekvens, datoer og emner for de næste møder",
     "Kort evaluering: hvad var især godt i dag, hvad savnede vi i dag?"),
    ("nb", "Avtaler: roller, oppgaver, hvor ofte vi møtes, datoer og temaer for videre møter",
     "Kort evaluering: hva var spesielt bra i dag, hva savnet vi i dag?"),
])
def test_the_first_meeting_ends_with_the_agreements_and_an_evaluation_round(
        client, login_as, world, language, agreements, evaluation):
    mtg = f.meeting(world.net, kind=MeetingKind.FIRST, hours=3)
    world.coordinator.language = language
    db.session.commit()
    login_as(world.coordinator)
    client.post(f"/meetings/{mtg.id}/agenda/template", data={"once": once(), "which": "first"})
    items = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == mtg.id)
                               .order_by(AgendaItem.position)).all()
    assert [i.kind for i in items] == [
        AgendaKind.WELCOME, AgendaKind.PRESENTATION_ROUND, AgendaKind.INTERVIEWS,
        AgendaKind.OTHER, AgendaKind.BREAK, AgendaKind.OTHER, AgendaKind.SPARRING,
        AgendaKind.PLANNING_YEAR, AgendaKind.EVALUATION]
    assert [i.title for i in items[-2:]] == [agreements, evaluation]
    assert sum(i.minutes for i in items) <= 180  # fits the three hours with 4 expected


def test_following_template_uses_the_topic(client, login_as, world):
    mtg = f.meeting(world.net, topic="Den svære samtale")
    login_as(world.coordinator)
    client.post(f"/meetings/{mtg.id}/agenda/template", data={"once": once(), "which": "following"})
    assert _titles(mtg)[:2] == ["Follow-up on cases and goals from last time", "Den svære samtale"]


def test_move_with_buttons_and_the_ends_stay(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.coordinator)
    for title in ("A", "B", "C"):
        client.post(
            f"/meetings/{mtg.id}/agenda/items",
            data={"once": once(), "title": title, "minutes": "10", "kind": "other"},
        )
    c = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "C"))
    client.post(f"/meetings/{mtg.id}/agenda/items/{c.id}/move/up", headers=HX)
    assert _titles(mtg) == ["A", "C", "B"]
    a = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "A"))
    client.post(f"/meetings/{mtg.id}/agenda/items/{a.id}/move/up", headers=HX)
    assert _titles(mtg) == ["A", "C", "B"]


def test_absurd_or_negative_length_is_refused_and_typed_text_kept(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.coordinator)
    for minutes in ("-5", "0", "100000", "lots"):
        response = client.post(
            f"/meetings/{mtg.id}/agenda/items",
            headers=HX,
            data={"once": once(), "title": "Oplæg om ferie", "minutes": minutes, "kind": "topic"},
        )
        assert response.status_code == 200
        assert 'value="Oplæg om ferie"' in response.text
        assert (
            "Give a length between 1 and 480 minutes." in response.text
            or "Give the length in minutes." in response.text
        )
    assert _titles(mtg) == []


def test_running_total_warns_when_it_does_not_fit(client, login_as, world):
    mtg = f.meeting(world.net, hours=1)
    login_as(world.coordinator)
    client.post(
        f"/meetings/{mtg.id}/agenda/items", data={"once": once(),
                                                  "title": "Lang", "minutes": "50", "kind": "topic"}
    )
    page = client.post(
        f"/meetings/{mtg.id}/agenda/items",
        headers=HX,
        data={"once": once(), "title": "Længere", "minutes": "20", "kind": "sparring"},
    )
    assert "Planned 70 of 60 minutes." in page.text
    assert "10 minutes too long" in page.text


def test_an_item_of_another_meeting_is_404(client, login_as, world):
    mine, other = f.meeting(world.net), f.meeting(world.net, hours=2, starts_at=None)
    login_as(world.coordinator)
    client.post(
        f"/meetings/{other.id}/agenda/items", data={"once": once(),
                                                    "title": "X", "minutes": "5", "kind": "other"}
    )
    item = db.session.scalar(sa.select(AgendaItem))
    assert client.post(f"/meetings/{mine.id}/agenda/items/{item.id}/delete").status_code == 404


def test_edit_an_item_and_print(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.coordinator)
    client.post(
        f"/meetings/{mtg.id}/agenda/items", data={"once": once(),
                                                  "title": "X", "minutes": "5", "kind": "other"}
    )
    item = db.session.scalar(sa.select(AgendaItem))
    form = client.get(f"/meetings/{mtg.id}/agenda/items/{item.id}/edit", headers=HX)
    assert 'value="X"' in form.text
    client.post(
        f"/meetings/{mtg.id}/agenda/items/{item.id}",
        data={"once": once(), "title": "Evaluering", "minutes": "15", "kind": "evaluation"},
    )
    printed = client.get(f"/meetings/{mtg.id}/agenda/print")
    assert "Evaluering" in printed.text and "15" in printed.text
