"""The header's language switch, for logged-in people too, and the login page's choice."""

import pytest

from netapp.auth.models import User
from netapp.extensions import db
from tests import factories as f


def _language_of(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).language


def test_the_header_switches_a_logged_in_members_language_and_keeps_the_page(
        client, login_as):
    member = f.user(language="da")
    login_as(member)
    home = client.get("/home").text
    assert 'action="/auth/language"' in home and 'value="nb"' in home and "Log ud" in home
    switched = client.post("/auth/language", data={"language": "en", "next": "/auth/profile"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/auth/profile"
    assert _language_of(member.id) == "en"
    assert "Log out" in client.get("/home").text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\t/evil",
                                    "\x00", ""])
def test_the_switch_only_goes_back_inside_netapp(client, login_as, target):
    login_as(f.user(language="da"))
    answer = client.post("/auth/language", data={"language": "nb", "next": target})
    assert answer.status_code == 302 and answer.headers["Location"] == "/home"


def test_an_unknown_language_changes_nothing(client, login_as):
    member = f.user(language="da")
    login_as(member)
    answer = client.post("/auth/language", data={"language": "xx", "next": "/home"})
    assert answer.status_code == 302 and _language_of(member.id) == "da"


def test_the_login_pages_choice_is_kept_after_login_and_said(client):
    """A Danish profile, English chosen on the login page: English after login, and the
    page says the profile now speaks English."""
    member = f.user(language="da")
    assert "Log in" in client.get("/auth/login?lang=en").text
    client.post("/auth/login", data={"email": member.email, "password": f.PASSWORD})
    assert _language_of(member.id) == "en"
    home = client.get("/home").text
    assert "Log out" in home and "language is now English" in home


def test_without_a_choice_the_profile_language_stands_and_nothing_is_said(client):
    member = f.user(language="nb")
    client.get("/auth/login")
    client.post("/auth/login", data={"email": member.email, "password": f.PASSWORD})
    home = client.get("/home").text
    assert _language_of(member.id) == "nb" and "Logg ut" in home
    assert "språk er nå" not in home
