"""Forgotten password by e-mailed link, password change, profile."""

import re
from datetime import timedelta

from netapp.auth import services
from netapp.auth.models import utcnow
from netapp.extensions import db
from tests import factories as f


def _reset_link(outbox) -> str:
    [message] = outbox()
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://netapp\.test(/auth/reset/\S+)", body).group(1)


def test_forgot_password_mails_a_link_that_works_once(client, outbox):
    person = f.user(email="glemsom@example.com", language="da")
    response = client.post("/auth/forgot", data={"email": "glemsom@example.com"})
    assert response.status_code == 302
    [message] = outbox()  # queued with the request's commit; the worker sends it
    assert f.to(message) == "glemsom@example.com"
    assert message["Subject"] == "Vælg en ny adgangskode til netapp"
    link = _reset_link(outbox)
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": "a new long phrase", "confirm": "a new long phrase"})
    assert done.status_code == 302
    assert db.session.get(type(person), person.id).check_password("a new long phrase")
    used = client.get(link)
    assert used.status_code == 400
    assert "Linket er allerede brugt" in used.text


def test_forgot_password_for_unknown_address_sends_nothing_and_says_the_same(client, outbox):
    response = client.post(
        "/auth/forgot", data={"email": "nobody@example.com"}, follow_redirects=True
    )
    assert "Hvis vi kender adressen" in response.text
    assert outbox() == []


def test_tampered_reset_link(client):
    f.user()
    page = client.get("/auth/reset/not-a-real-token")
    assert page.status_code == 400
    assert "Linket er ikke gyldigt" in page.text


def test_expired_reset_link(app, client):
    person = f.user()
    token = services.reset_token(person, now=utcnow() - timedelta(seconds=3601))
    db.session.commit()
    page = client.get(f"/auth/reset/{token}")
    assert page.status_code == 400
    assert "Linket er udløbet" in page.text


def test_reset_rejects_short_common_and_mismatched_passwords(client):
    person = f.user()
    url = f"/auth/reset/{services.reset_token(person)}"
    db.session.commit()
    short = client.post(url, data={"password": "kort", "confirm": "kort"})
    assert "Brug mellem 8 og 128 tegn." in short.text
    common = client.post(url, data={"password": "password123", "confirm": "password123"})
    assert "for almindelig" in common.text
    mismatch = client.post(url, data={"password": "long enough one", "confirm": "another one!"})
    assert "De to adgangskoder er ikke ens." in mismatch.text


def test_change_password_ends_other_sessions(app, client, login_as):
    person = f.user()
    login_as(person)
    other = app.test_client()
    other.post("/auth/login", data={"email": person.email, "password": f.PASSWORD})
    assert other.get("/home").status_code == 200
    response = client.post(
        "/auth/password",
        data={"current": f.PASSWORD, "password": "brand new phrase", "confirm": "brand new phrase"},
    )
    assert response.status_code == 302
    assert client.get("/home").status_code == 200  # this device stays in
    assert other.get("/home").status_code == 302  # the other one is out


def test_change_password_needs_the_current_one(client, login_as):
    login_as(f.user())
    page = client.post(
        "/auth/password",
        data={
            "current": "not it at all",
            "password": "brand new phrase",
            "confirm": "brand new phrase",
        },
    )
    assert page.status_code == 200
    assert "That is not your current password." in page.text


def test_profile_changes_name_and_language(client, login_as):
    person = f.user(language="en")
    login_as(person)
    response = client.post(
        "/auth/profile",
        data={"name": "Ny Navn", "email": person.email, "language": "nb"},
        follow_redirects=True,
    )
    assert "Profilen din er lagret." in response.text
    db.session.refresh(person)
    assert person.language == "nb"


def test_profile_answers_an_address_in_use_neutrally_and_changes_nothing(client, login_as, outbox):
    """Someone else's address: the same message as a free one, no link, no change."""
    f.user(email="taken@example.com")
    person = f.user()
    login_as(person)
    page = client.post(
        "/auth/profile",
        data={"name": "X", "email": "taken@example.com", "language": "en",
              "password": f.PASSWORD},
        follow_redirects=True,
    )
    assert "If taken@example.com can be used, we have sent a link to it." in page.text
    assert "Another account" not in page.text
    assert [f.to(m) for m in outbox()] == [person.email]  # only the notice to the old address
    db.session.refresh(person)
    assert person.email != "taken@example.com"
