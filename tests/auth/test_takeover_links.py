"""Links that outlive what they were sent for: a waiting e-mail change dies with the
sessions (password change or reset, "log out everywhere"), and a reset link mailed to the
old address dies when the e-mail changes."""

import re

import sqlalchemy as sa

from netapp.auth import services
from netapp.auth.models import EmailChange, User
from netapp.extensions import db
from tests import factories as f

NEW = {"password": "a new long phrase", "confirm": "a new long phrase"}


def _ask_change(client, person, email):
    return client.post("/auth/profile", data={
        "name": person.name, "email": email, "language": person.language,
        "password": f.PASSWORD})


def _confirm_path(outbox, to: str) -> str:
    [message] = [m for m in outbox() if f.to(m) == to]
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://netapp\.test(/auth/email/\S+)", body).group(1)


def _email_of(person) -> str:
    db.session.expire_all()
    return db.session.get(User, person.id).email


def test_a_password_change_voids_the_e_mail_change_an_intruder_asked_for(
        app, client, login_as, outbox):
    owner = f.user(email="owner@example.com")
    login_as(owner)  # the intruder, who has learnt the password, asks for his address
    _ask_change(client, owner, "intruder@example.com")
    path = _confirm_path(outbox, "intruder@example.com")
    owner_device = app.test_client()  # the owner, told by mail, changes the password
    owner_device.post("/auth/login", data={"email": "owner@example.com",
                                           "password": f.PASSWORD})
    changed = owner_device.post("/auth/password", data={
        "current": f.PASSWORD, "password": "a new long phrase",
        "confirm": "a new long phrase"})
    assert changed.status_code == 302
    page = app.test_client().post(path)  # the intruder opens his link
    assert page.status_code == 400
    assert _email_of(owner) == "owner@example.com"
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 0


def test_logging_out_everywhere_voids_a_waiting_e_mail_change(app, client, login_as, outbox):
    owner = f.user(email="owner@example.com")
    login_as(owner)
    _ask_change(client, owner, "intruder@example.com")
    path = _confirm_path(outbox, "intruder@example.com")
    assert client.post("/auth/logout/everywhere").status_code == 302
    assert app.test_client().post(path).status_code == 400
    assert _email_of(owner) == "owner@example.com"


def test_a_reset_link_sent_to_the_old_address_dies_with_the_change(app, client, login_as,
                                                                   outbox):
    owner = f.user(email="old@example.com")
    old_link = services.reset_token(owner)  # in the old mailbox, which others may read
    db.session.commit()
    login_as(owner)
    _ask_change(client, owner, "new@example.com")
    assert client.post(_confirm_path(outbox, "new@example.com")).status_code == 302
    assert _email_of(owner) == "new@example.com"
    page = app.test_client().post(f"/auth/reset/{old_link}", data=NEW)
    assert page.status_code == 400
    assert app.test_client().post("/auth/login", data={
        "email": "new@example.com", "password": f.PASSWORD}).status_code == 302
