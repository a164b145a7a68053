"""The guards themselves: a GET that writes must fail, or the guards prove nothing. The app
refuses it (its GET sessions only read: netapp.database.read_only_request); the suite's
get_never_writes fixture would fail the test besides."""

import pytest

from netapp.auth.models import User
from netapp.database import WriteInReadOnlyRequest
from netapp.extensions import db


@pytest.mark.own_app  # it adds a route
def test_a_writing_get_is_caught(app, client):
    @app.get("/writes")
    def writes():
        db.session.add(User(email="x@example.com", name="x", password_hash="x"))
        db.session.flush()
        return "wrote"

    with pytest.raises(WriteInReadOnlyRequest):
        client.get("/writes")
