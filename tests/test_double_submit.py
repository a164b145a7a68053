"""A double-submitted form stores one row (a one-time token per rendered form)."""

import re
import threading

import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.models import Goal, Meeting, TopicWish
from netapp.networks.models import Role
from tests import factories as f


def _once(page_text: str) -> str:
    return re.search(r'name="once" type="hidden" value="([^"]+)"', page_text).group(1)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_double_tapped_goal_is_stored_once(client, login_as):
    net = f.network()
    person = f.member(net, Role.MEMBER)
    login_as(person)
    page = client.get(f"/meetings/network/{net.id}/goals")
    data = {"text": "Delegere mere", "once": _once(page.text)}
    first = client.post(f"/meetings/network/{net.id}/goals", data=data)
    second = client.post(f"/meetings/network/{net.id}/goals", data=data)
    assert first.status_code == second.status_code == 302  # both answer as if saved
    assert _count(Goal) == 1
    again = client.get(f"/meetings/network/{net.id}/goals")
    client.post(f"/meetings/network/{net.id}/goals",
                data={"text": "Og en til", "once": _once(again.text)})
    assert _count(Goal) == 2  # a new page, a new token: a second goal is fine


def test_double_tapped_wish_is_stored_once(client, login_as):
    net = f.network()
    login_as(f.member(net, Role.MEMBER))
    page = client.get(f"/meetings/network/{net.id}/wishes")
    data = {"kind": "topic", "text": "Svære samtaler", "once": _once(page.text)}
    for _ in range(3):
        client.post(f"/meetings/network/{net.id}/wishes", data=data)
    assert _count(TopicWish) == 1


def test_meeting_planned_twice_at_once_is_stored_once(app, tmp_path, frozen_clock):
    """Two requests with the same token at the same moment, on a shared file database."""
    url = f"sqlite:///{tmp_path / 'race.sqlite'}"
    from netapp import create_app

    racing = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                         "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "netapp.test"})
    with racing.app_context():
        db.create_all()
        net = f.network()
        boss = f.member(net, Role.COORDINATOR)
        ids = (net.id, boss.email)
    clients = [racing.test_client() for _ in range(2)]
    for c in clients:
        c.post("/auth/login", data={"email": ids[1], "password": f.PASSWORD})
    token = _once(clients[0].get(f"/meetings/network/{ids[0]}/new").text)
    form = {"kind": "following", "day": "2031-03-04", "start": "13:00", "end": "16:00",
            "venue": "Klinikken", "topic": "Delegering", "host_id": "", "once": token}
    barrier, statuses = threading.Barrier(2), []

    def post(c):
        barrier.wait()
        statuses.append(c.post(f"/meetings/network/{ids[0]}/new", data=form).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with racing.app_context():
        assert _count(Meeting) == 1, statuses
        db.session.remove()
        db.engine.dispose()
