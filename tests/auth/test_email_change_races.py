"""Clicks at the same moment, from threads on a shared database (a file for SQLite, or the
suite's PostgreSQL): a link changes the address once, and one address goes to one account."""

import threading

import pytest
import sqlalchemy as sa

from netapp import create_app
from netapp.auth import email_change
from netapp.auth.models import EmailChange, User, utcnow
from netapp.extensions import db
from tests import factories as f


@pytest.fixture
def shared_app(tmp_path, empty_database_url):
    # A database of its own: on PostgreSQL the suite's tables belong to the shared app,
    # and dropping them here broke every later test of the same worker.
    url = empty_database_url
    app = create_app({"TESTING": True, "SECRET_KEY": "race", "SQLALCHEMY_DATABASE_URI": url,
                      "WTF_CSRF_ENABLED": False, "SERVER_NAME": "netapp.test"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _at_once(app, paths: list[str]) -> list[int]:
    barrier, statuses = threading.Barrier(len(paths)), [None] * len(paths)

    def click(index, path):
        client = app.test_client()
        barrier.wait()
        statuses[index] = client.post(path).status_code

    threads = [threading.Thread(target=click, args=(i, p)) for i, p in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _link(app, person, new_email) -> str:
    with app.test_request_context():
        token = email_change.request_change(person, new_email, utcnow())
    db.session.commit()
    return f"/auth/email/{token}"


def test_three_clicks_on_one_link_change_the_address_once(shared_app):
    person = f.user(email="old@example.com")
    path = _link(shared_app, person, "new@example.com")
    statuses = _at_once(shared_app, [path] * 3)
    assert sorted(statuses).count(302) == 1 and all(s in (302, 400, 409) for s in statuses)
    db.session.expire_all()
    assert db.session.get(User, person.id).email == "new@example.com"
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 0


def test_two_accounts_confirming_one_address_at_once_never_share_it(shared_app):
    first, second = f.user(), f.user()
    paths = [_link(shared_app, first, "both@example.com"),
             _link(shared_app, second, "both@example.com")]
    statuses = _at_once(shared_app, paths)
    assert sorted(statuses) in ([302, 409], [302, 400])
    db.session.expire_all()
    owners = db.session.scalars(sa.select(User.id).where(User.email == "both@example.com")).all()
    assert len(owners) == 1


def test_the_profile_form_sent_three_times_at_once_leaves_one_waiting_change(shared_app):
    person = f.user(email="old@example.com")
    data = {"name": person.name, "email": "new@example.com", "language": "en",
            "password": f.PASSWORD}
    clients = []
    for _ in range(3):
        client = shared_app.test_client()
        client.post("/auth/login", data={"email": "old@example.com", "password": f.PASSWORD})
        clients.append(client)
    barrier, statuses = threading.Barrier(3), []

    def send(client):
        barrier.wait()
        statuses.append(client.post("/auth/profile", data=data).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302, 302]
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 1
