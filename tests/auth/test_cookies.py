"""Cookie flags and session length as production sets them."""

from datetime import timedelta

from netapp import create_app
from tests import factories as f


def test_production_cookies_are_secure_httponly_lax(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    monkeypatch.setenv("NETAPP_PUBLIC_URL", "https://netapp.example.dk")
    app = create_app()  # production path: defaults, instance config, NETAPP_* variables
    for prefix in ("SESSION", "REMEMBER"):
        assert app.config[f"{prefix}_COOKIE_SECURE"] is True
        assert app.config[f"{prefix}_COOKIE_HTTPONLY"] is True
        assert app.config[f"{prefix}_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PERMANENT_SESSION_LIFETIME"] >= timedelta(hours=12)
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None  # a tablet open all day keeps working


def test_secret_key_is_made_once_and_shared(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    monkeypatch.setenv("NETAPP_PUBLIC_URL", "https://netapp.example.dk")
    monkeypatch.delenv("NETAPP_SECRET_KEY", raising=False)
    first = create_app()
    second = create_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32


def test_login_sets_httponly_session_cookie(client):
    person = f.user()
    response = client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_remember_me_sets_a_long_cookie(client):
    person = f.user()
    response = client.post(
        "/auth/login", data={"email": person.email, "password": f.PASSWORD, "remember": "y"}
    )
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token")]
    assert remember and "HttpOnly" in remember[0]
