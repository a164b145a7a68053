"""Helpers for requests at the same instant from threads, on a database the threads share
(a SQLite file, or a database of its own on the suite's PostgreSQL)."""

import threading
from contextlib import contextmanager

from netapp import create_app
from netapp.extensions import db
from tests import factories as f
from tests.conftest import FreshContextClient


@contextmanager
def threaded_app(url: str, instance: str, **settings):
    """An app on `url` with the schema created, its context pushed; dropped afterwards."""
    app = create_app({"TESTING": True, "SECRET_KEY": "race", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "netapp.test",
                      **settings})
    app.instance_path = instance
    app.test_client_class = FreshContextClient  # each request its own context, as in production
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def logged_in(app, person):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def at_once(*calls):
    """Run each call in a thread of its own, released together; their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
