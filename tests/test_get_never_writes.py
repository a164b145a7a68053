"""The guard itself: a GET that writes must fail, or the guard proves nothing."""

import pytest

from netapp.auth.models import User
from netapp.extensions import db


@pytest.mark.own_app  # it adds a route
def test_a_writing_get_is_caught(app, client):
    @app.get("/writes")
    def writes():
        db.session.add(User(email="x@example.com", name="x", password_hash="x"))
        db.session.flush()
        return "wrote"

    with pytest.raises(AssertionError, match="writes to the database"):
        client.get("/writes")
