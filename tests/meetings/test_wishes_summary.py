"""Topic wishes with one vote each, and the summary that is sent and kept on the page."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings import wishes
from netapp.meetings.models import TopicWish, TopicWishVote
from tests import factories as f
from tests.submits import once


def test_one_vote_each_is_enforced_by_the_database(world):
    wish = wishes.add_wish(world.net.id, world.members[0].id, "topic", "Delegering")
    db.session.commit()
    db.session.add(TopicWishVote(wish_id=wish.id, user_id=world.members[0].id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()


def test_support_toggles_and_the_coordinator_adopts_a_wish(client, login_as, world):
    mtg = f.meeting(world.net)
    wish = wishes.add_wish(world.net.id, world.members[0].id, "topic", "Den svære samtale")
    db.session.commit()
    login_as(world.members[1])
    page = client.post(
        f"/meetings/network/{world.net.id}/wishes/{wish.id}/vote", headers={"HX-Request": "true"}
    )
    assert "Supported (2)" in page.text
    client.post(f"/meetings/network/{world.net.id}/wishes/{wish.id}/vote")
    assert db.session.scalar(sa.select(sa.func.count(TopicWishVote.id))) == 1
    assert (
        client.post(
            f"/meetings/network/{world.net.id}/wishes/{wish.id}/adopt", data={"meeting_id": mtg.id}
        ).status_code
        == 403
    )
    client.post("/auth/logout")
    login_as(world.coordinator)
    client.post(
        f"/meetings/network/{world.net.id}/wishes/{wish.id}/adopt", data={"meeting_id": mtg.id}
    )
    db.session.expire_all()
    assert (
        mtg.topic == "Den svære samtale" and db.session.get(TopicWish, wish.id).meeting_id == mtg.id
    )


def test_wish_page_offers_the_seed_topics_and_refuses_empty(client, login_as, world):
    login_as(world.members[0])
    page = client.get(f"/meetings/network/{world.net.id}/wishes")
    assert "Delegation: what and how?" in page.text
    response = client.post(
        f"/meetings/network/{world.net.id}/wishes", data={"once": once(),
                                                          "kind": "topic", "text": ""}
    )
    assert response.status_code == 200 and "Write the wish." in response.text
    assert db.session.scalar(sa.select(sa.func.count(TopicWish.id))) == 0


def test_adopting_into_another_networks_meeting_is_refused(client, login_as, world):
    theirs = f.meeting(world.other_net)
    wish = wishes.add_wish(world.net.id, world.members[0].id, "topic", "X")
    db.session.commit()
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/network/{world.net.id}/wishes/{wish.id}/adopt",
        data={"meeting_id": theirs.id},
        follow_redirects=True,
    )
    assert "Choose a coming meeting of this network." in response.text
    assert theirs.topic == ""


def test_summary_is_saved_mailed_and_shows_the_next_topic(client, login_as, world, outbox):
    held = f.meeting(world.net, starts_at=datetime(2020, 3, 1, 12), topic="Feedback")
    f.meeting(world.net, starts_at=datetime(2040, 5, 1, 12), topic="Konflikter")
    login_as(world.coordinator)
    client.post(f"/meetings/{held.id}/agenda/template", data={"once": once(), "which": "following"})
    db.session.refresh(held)
    topic_item = held.agenda[1]
    client.post(
        f"/meetings/{held.id}/summary",
        data={
            "summary": "Vi aftalte at prøve feedback-runder.",
            f"note-{topic_item.id}": "Kort og konkret",
        },
    )
    page = client.get(f"/meetings/{held.id}")
    assert "Vi aftalte at prøve feedback-runder." in page.text and "Kort og konkret" in page.text
    assert "Konflikter" in page.text
    client.post(f"/meetings/{held.id}/summary/send", data={"once": once()})
    mails = outbox()
    assert len(mails) == 4
    body = mails[0].get_body(("plain",)).get_content()
    assert "Kort og konkret" in body and "Konflikter" in body


def test_summary_too_long_keeps_the_text(client, login_as, world):
    held = f.meeting(world.net, starts_at=datetime(2020, 3, 1, 12))
    login_as(world.coordinator)
    response = client.post(f"/meetings/{held.id}/summary", data={"summary": "y" * 20001})
    assert response.status_code == 200 and "y" * 20001 in response.text
    db.session.refresh(held)
    assert held.summary == ""
