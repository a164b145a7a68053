"""With CSRF on, as in production: forms and htmx requests without a token are refused."""

import re

import pytest

from tests import factories as f

pytestmark = pytest.mark.own_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def csrf_app(app):
    """The app with CSRF checks on, as in production."""
    return app


def test_form_without_token_gets_400_in_danish(csrf_app, client):
    f.user(email="a@example.com")
    response = client.post("/auth/login", data={"email": "a@example.com", "password": f.PASSWORD})
    assert response.status_code == 400
    assert "Formularen var udløbet" in response.text


def test_form_with_token_logs_in(csrf_app, client):
    f.user(email="a@example.com")
    page = client.get("/auth/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/auth/login", data={"email": "a@example.com", "password": f.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_htmx_header_token_is_accepted(csrf_app, client, login_as):
    f.user(email="a@example.com")
    page = client.get("/auth/login")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
    response = client.post(
        "/auth/login",
        data={"email": "a@example.com", "password": f.PASSWORD},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 302
