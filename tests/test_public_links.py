"""Links in e-mails, calendar files, QR codes and copy fields come from PUBLIC_URL; a forged
Host or X-Forwarded-Host is refused and never decides where a link points."""

import re
from pathlib import Path

import pytest

from netapp import create_app
from netapp.extensions import db
from netapp.links import PublicUrlMissing, public_url_for
from netapp.networks.models import Role
from tests import factories as f
from tests.submits import once

PUBLIC = "https://netapp.example.dk"
ALIAS = "netapp.internal"  # a second name the instance answers to (EXTRA_HOSTS)
FORGED = "evil.example"
ROOT = Path(__file__).resolve().parent.parent


# PUBLIC_URL differs from the hosts the test client speaks to (an alias, and netapp.test).
PUBLIC_APP = pytest.mark.own_app(PUBLIC_URL=PUBLIC, EXTRA_HOSTS=[ALIAS, "netapp.test"])


@pytest.fixture
def public(app):
    """The app of a test marked PUBLIC_APP."""
    assert app.config["PUBLIC_URL"] == PUBLIC, "mark the test @PUBLIC_APP"
    return app


@pytest.fixture
def proxied(tmp_path, empty_database_url):
    """An app behind one reverse proxy: X-Forwarded-Host is taken as the host (on a database
    of its own: the suite's PostgreSQL tables belong to the shared app)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": empty_database_url, "SERVER_NAME": "netapp.test",
                      "PROXY_FIX": 1})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _bodies(outbox) -> str:
    parts = []
    for message in outbox():
        parts.append(message.get_body(("plain",)).get_content())
        for attachment in message.iter_attachments():
            parts.append(attachment.get_payload(decode=True).decode().replace("\r\n ", ""))
    return "\n".join(parts)


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s/]+", text)


def _mailing_world():
    """An open network with a coordinator, two members and a meeting with a summary."""
    net = f.network(is_open=True, join_token="join-the-network")
    coordinator = f.member(net, Role.COORDINATOR)
    f.member(net, Role.MEMBER)
    f.member(net, Role.MEMBER)
    meeting = f.meeting(net, summary="Vi aftalte feedback-runder.")
    return net, coordinator, meeting


def _login(client, person, host="netapp.test"):
    """Log in by the host the test then uses (the cookie belongs to that host)."""
    response = client.post("/auth/login", data={"email": person.email, "password": f.PASSWORD},
                           headers={"Host": host})
    assert response.status_code == 302


def _mail_routes(net, meeting):
    """Every route that sends e-mail with links, and what it posts."""
    return [
        ("/auth/forgot", {"email": "glemsom@example.com"}),
        (f"/networks/{net.id}/invitations",
         {"once": once(), "emails": "ny@example.com", "position": "core"}),
        (f"/meetings/{meeting.id}/invite", {"once": once()}),
        (f"/meetings/{meeting.id}/summary/send", {"once": once()}),
    ]


@PUBLIC_APP
def test_public_url_for_ignores_the_request_host(public):
    with public.test_request_context("/", headers={"Host": FORGED, "X-Forwarded-Host": FORGED}):
        assert public_url_for("auth.reset", token="t") == f"{PUBLIC}/auth/reset/t"
    with public.app_context():  # cron: no request at all
        assert public_url_for("meetings.meeting", meeting_id=7) == f"{PUBLIC}/meetings/7"


def test_a_forged_host_is_refused_in_the_users_language(client):
    page = client.get("/auth/login", headers={"Host": FORGED})
    assert page.status_code == 400
    assert page.text == "Denne adresse hører ikke til netapp her."
    assert client.get("/auth/login", headers={"Host": "netapp.test"}).status_code == 200
    assert client.get("/auth/login", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_a_forged_x_forwarded_host_is_refused_behind_the_proxy(proxied):
    client = proxied.test_client()
    assert client.get("/auth/login", headers={"X-Forwarded-Host": FORGED}).status_code == 400
    assert client.get("/auth/login", headers={"X-Forwarded-Host": "netapp.test"}).status_code == 200


@pytest.mark.parametrize("header", ["Host", "X-Forwarded-Host"])
def test_no_mail_route_sends_anything_for_a_forged_host(proxied, header):
    """Forgot, invitations, meeting invitations and the summary: 400, and no e-mail."""
    client = proxied.test_client()
    net, coordinator, meeting = _mailing_world()
    f.user(email="glemsom@example.com")
    _login(client, coordinator)
    for path, data in _mail_routes(net, meeting):
        response = client.post(path, data=data, headers={header: FORGED})
        response.close()
        assert response.status_code == 400, path
    assert not (Path(proxied.instance_path) / "outbox").exists()


@PUBLIC_APP
def test_mails_point_at_public_url_whatever_host_the_request_came_by(
    public, client, outbox
):
    net, coordinator, meeting = _mailing_world()
    f.user(email="glemsom@example.com")
    _login(client, coordinator, ALIAS)
    for path, data in _mail_routes(net, meeting):
        response = client.post(path, data=data, headers={"Host": ALIAS})
        response.close()  # the reset mail leaves once the response is closed
        assert response.status_code in (200, 302), path
    text = _bodies(outbox)
    subjects = [m["Subject"] for m in outbox()]
    assert len(subjects) == 1 + 1 + 3 + 3  # reset, invitation, 3 invitations, 3 summaries
    for kind in ("/auth/reset/", "/networks/invitation/", f"/meetings/{meeting.id}/rsvp/"):
        assert f"{PUBLIC}{kind}" in text, kind
    assert f"URL:{PUBLIC}/meetings/{meeting.id}" in text  # the calendar file
    assert set(_links(text)) == {PUBLIC}


@PUBLIC_APP
def test_pages_calendar_files_and_qr_codes_use_public_url(public, client, monkeypatch):
    import segno

    net, coordinator, meeting = _mailing_world()
    f.evaluation(meeting)
    _login(client, coordinator, ALIAS)
    alias = {"Host": ALIAS}
    ics = client.get(f"/meetings/{meeting.id}/meeting.ics", headers=alias).text
    assert f"URL:{PUBLIC}/meetings/{meeting.id}" in ics.replace("\r\n ", "")
    feed = client.post("/meetings/calendar/reset", data={"password": f.PASSWORD}, headers=alias,
                       follow_redirects=True)
    assert f"{PUBLIC}/meetings/feed/" in feed.text
    shared = client.post(f"/networks/{net.id}/invitations/link",
                         data={"once": once(), "position": "core"},
                         headers=alias, follow_redirects=True)
    assert f'value="{PUBLIC}/networks/invitation/' in shared.text
    assert f'value="{PUBLIC}/networks/join/' in shared.text
    assert f"{PUBLIC}/evaluations/meeting/{meeting.id}" in client.get(
        f"/evaluations/meeting/{meeting.id}/round", headers=alias).text
    drawn = []
    real_make = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: drawn.append(content)
                        or real_make(content, **kw))
    assert client.get(f"/evaluations/meeting/{meeting.id}/qr.svg", headers=alias).status_code == 200
    assert drawn == [f"{PUBLIC}/evaluations/meeting/{meeting.id}"]


def test_no_link_is_built_from_the_request():
    """One helper builds every absolute link: nothing else reads the request's host."""
    from_request = re.compile(r"(?<![a-z])_external\s*=\s*True|url_root|host_url|request\.host\b")
    sources = [*ROOT.glob("netapp/**/*.py"), *ROOT.glob("templates/**/*")]
    offenders = [str(p.relative_to(ROOT)) for p in sources
                 if p.is_file() and from_request.search(p.read_text(errors="ignore"))]
    assert offenders == []


def test_trusted_hosts_are_public_url_extra_hosts_and_loopback(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    monkeypatch.setenv("NETAPP_PUBLIC_URL", "https://Netapp.Example.dk/")
    monkeypatch.setenv("NETAPP_EXTRA_HOSTS", '["netapp.internal"]')
    app = create_app()
    assert app.config["PUBLIC_URL"] == "https://Netapp.Example.dk"
    assert app.config["TRUSTED_HOSTS"] == [
        "netapp.example.dk", "netapp.internal", "localhost", "127.0.0.1"]


@pytest.mark.parametrize("value", [None, "netapp.example.dk", "ftp://netapp.example.dk"])
def test_production_refuses_to_start_without_a_usable_public_url(tmp_path, monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    if value is None:
        monkeypatch.delenv("NETAPP_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("NETAPP_PUBLIC_URL", value)
    with pytest.raises(PublicUrlMissing) as refused:
        create_app()
    assert "NETAPP_PUBLIC_URL" in str(refused.value) and "\n" not in str(refused.value)
