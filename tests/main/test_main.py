"""Front door, health check, error pages and the headers every response carries."""

import pytest
import sqlalchemy as sa

from tests import factories as f


def test_front_page_sends_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_gone(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("gone"))

    monkeypatch.setattr("netapp.database._probe", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_404_is_friendly_and_in_danish(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Vi kunne ikke finde siden" in response.text
    assert "Traceback" not in response.text


@pytest.mark.own_app(PROPAGATE_EXCEPTIONS=False)  # and it adds a route
def test_500_shows_no_traceback(app, client):

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Noget gik galt hos os" in response.text
    assert "secret detail" not in response.text


def test_security_headers_on_every_page(client, login_as):
    login_as(f.user())
    for url in ("/auth/login?lang=en", "/home", "/auth/profile", "/healthz"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_page_has_no_inline_script_or_style(client):
    text = client.get("/auth/login").text
    assert "<script>" not in text and "style=" not in text
    assert "/static/vendor/htmx-2.0.11.min.js" in text


def test_htmx_is_vendored_with_its_licence(app):
    from pathlib import Path

    vendor = Path(app.static_folder) / "vendor"
    assert (vendor / "htmx-2.0.11.min.js").stat().st_size > 40_000
    assert (
        "BSD" in (vendor / "htmx-2.0.11.LICENSE.txt").read_text()
        or "Zero-Clause" in (vendor / "htmx-2.0.11.LICENSE.txt").read_text()
    )


def test_oversized_request_is_refused_politely(client):
    response = client.post(
        "/auth/login", data={"email": "a@b.dk", "password": "x" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert "for stort" in response.text
