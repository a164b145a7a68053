"""Logging in and out, throttling, safe redirects and session ending."""

import pytest

from netapp.auth.models import LoginFailure, User, hash_password
from netapp.extensions import db
from tests import factories as f


def test_login_page_is_danish_by_default(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert "Log ind" in page.text
    assert "Adgangskode" in page.text


@pytest.mark.parametrize(
    ("lang", "word"), [("nb", "Logg inn"), ("en", "Log in"), ("da", "Log ind")]
)
def test_language_from_query_string(client, lang, word):
    assert word in client.get(f"/auth/login?lang={lang}").text


def test_language_from_browser(client):
    page = client.get("/auth/login", headers={"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"})
    assert "Logg inn" in page.text


def test_login_and_home(client, login_as):
    person = f.user(name="Ada Lund")
    login_as(person)
    home = client.get("/home")
    assert home.status_code == 200
    assert "Ada Lund" in home.text
    assert home.headers["Cache-Control"] == "no-store"


def test_wrong_password_and_unknown_email_give_the_same_message(client):
    f.user(email="known@example.com")
    wrong = client.post("/auth/login", data={"email": "known@example.com", "password": "nope-nope"})
    unknown = client.post("/auth/login", data={"email": "who@example.com", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    for page in (wrong, unknown):
        assert "Forkert e-mail eller adgangskode." in page.text
    # what was typed stays, except the password
    assert 'value="known@example.com"' in wrong.text
    assert "nope-nope" not in wrong.text


def test_empty_and_oversized_fields_get_messages_at_the_field(client):
    page = client.post("/auth/login", data={"email": "x" * 5000, "password": ""})
    assert page.status_code == 200
    assert "En e-mailadresse har højst 254 tegn." in page.text
    assert "Skriv din adgangskode." in page.text


@pytest.mark.own_app(LOGIN_MAX_FAILURES=3)
def test_failed_logins_are_throttled_per_account(app, client):
    f.user(email="target@example.com")
    for _ in range(3):
        client.post("/auth/login", data={"email": "target@example.com", "password": "wrong-one"})
    good = client.post("/auth/login", data={"email": "target@example.com", "password": f.PASSWORD})
    assert good.status_code == 200
    assert "For mange forsøg" in good.text
    assert db.session.scalar(db.select(db.func.count(LoginFailure.id))) == 3


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/auth/profile", "/auth/profile"),
        ("https://evil.example/", "/home"),
        ("//evil.example/x", "/home"),
        ("/\\evil.example", "/home"),
        ("/\t/evil.example", "/home"),
        ("/home\r\nSet-Cookie: planted=1", "/home"),  # was a 500 after logging in
        ("/home\x00", "/home"),
    ],
)
def test_next_only_redirects_inside(client, target, expected):
    person = f.user()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": person.email, "password": f.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/home")
    assert response.status_code == 302
    assert "/auth/login?next=/home" in response.headers["Location"]


def test_expired_session_on_htmx_request_gets_hx_redirect(client):
    response = client.get("/home", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/auth/login")
    assert response.text == ""


def test_logout_refuses_a_replayed_cookie(client, login_as):
    person = f.user()
    login_as(person, remember=True)
    stolen = {c.key: c.value for c in client._cookies.values()}
    assert client.post("/auth/logout").status_code == 302
    replay = client.application.test_client()
    for key, value in stolen.items():
        replay.set_cookie(key, value, domain="netapp.test")
    response = replay.get("/home")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_logout_is_post_only(client, login_as):
    login_as(f.user())
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/home").status_code == 200


def test_deactivated_user_cannot_log_in(client):
    person = f.user(active=False)
    response = client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD})
    assert "Forkert e-mail eller adgangskode." in response.text


def test_email_is_matched_without_case(client):
    f.user(email="mixed@example.com")
    response = client.post(
        "/auth/login", data={"email": "  MIXED@example.com", "password": f.PASSWORD}
    )
    assert response.status_code == 302


def test_passwords_are_hashed_with_scrypt(app):
    person = f.user()
    person.set_password("a long sentence")
    assert person.password_hash.startswith("scrypt:")
    assert db.session.get(User, person.id).check_password("a long sentence")


# werkzeug's scrypt default: N=2^15, r=8, p=1.
PRODUCTION_SCRYPT = "scrypt:32768:8:1"


def test_passwords_the_app_stores_get_the_production_scrypt_cost(client, login_as):
    """The suite's users are hashed cheaply (tests/factories.py); nothing the app stores is."""
    person = f.user()
    assert person.password_hash.split("$")[0] == f.TEST_HASH_METHOD != PRODUCTION_SCRYPT
    assert hash_password("any phrase at all").split("$")[0] == PRODUCTION_SCRYPT
    login_as(person)
    changed = client.post("/auth/password", data={
        "current": f.PASSWORD, "password": "brand new phrase", "confirm": "brand new phrase"})
    assert changed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, person.id)
    assert stored.password_hash.split("$")[0] == PRODUCTION_SCRYPT
    assert stored.check_password("brand new phrase")


@pytest.mark.own_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3)
def test_failed_logins_are_throttled_per_address(app, client):
    """OWASP ASVS 5.0 6.3.1: one address guessing many accounts is stopped at its ceiling."""
    victim = f.user(email="victim@example.com")
    for n in range(3):
        client.post("/auth/login", data={"email": f"guess{n}@example.com", "password": "nope-nope"})
    page = client.post("/auth/login", data={"email": victim.email, "password": f.PASSWORD})
    assert "For mange forsøg" in page.text


def test_logins_failures_and_denials_are_logged_without_secrets(app, client, caplog):
    """Logins, failed logins and denied access are logged; passwords never."""
    from netapp.networks.models import Role

    net = f.network()
    person = f.member(net, Role.MEMBER)
    with caplog.at_level("INFO"):
        client.post("/auth/login", data={"email": person.email, "password": "wrong guess 1"})
        client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD})
        client.get(f"/evaluations/network/{net.id}/health")  # a member: 403
    text = caplog.text
    assert f"login.failed user={person.id}" in text and f"login user={person.id}" in text
    assert f"access denied user={person.id}" in text
    assert "wrong guess 1" not in text and f.PASSWORD not in text
