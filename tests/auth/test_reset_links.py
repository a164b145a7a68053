"""Reset links: a random single-use token bound to its purpose, mailed after the response,
and asked for a limited number of times per account and per address."""

import base64
import hashlib
import re
from datetime import timedelta

import sqlalchemy as sa

from netapp.auth import services, views
from netapp.auth.models import LinkToken, ResetRequest, User, utcnow
from netapp.extensions import db
from netapp.mail.models import OutgoingMail
from tests import factories as f

HOME = {"REMOTE_ADDR": "198.51.100.20"}
CAFE = {"REMOTE_ADDR": "203.0.113.50"}
NEW = {"password": "a new long phrase", "confirm": "a new long phrase"}


def _forgot(client, email, where=HOME):
    response = client.post("/auth/forgot", data={"email": email}, environ_base=where)
    response.close()  # the WSGI server closes the response; the mail leaves then
    return response


def _token(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://netapp\.test/auth/reset/(\S+)", body).group(1)


def test_the_link_carries_nothing_of_the_user_or_the_session(client, outbox):
    person = f.user(email="glemsom@example.com")
    _forgot(client, person.email)
    [message] = outbox()
    token = _token(message)
    db.session.refresh(person)
    decoded = base64.urlsafe_b64decode(token.split(".")[0] + "==")
    assert b'"u"' not in decoded and b'"s"' not in decoded
    assert person.session_token[:12].encode() not in decoded
    assert person.session_token[:12] not in token
    row = db.session.scalar(sa.select(LinkToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only the hash
    assert row.purpose == "password-reset" and row.user_id == person.id
    assert token not in {str(v) for v in row.__dict__.values()}


def test_a_used_link_is_refused_with_a_clear_message(client, outbox):
    person = f.user(email="glemsom@example.com")
    _forgot(client, person.email)
    path = f"/auth/reset/{_token(outbox()[0])}"
    assert client.post(path, data=NEW).status_code == 302
    again = client.post(path, data={"password": "a third phrase", "confirm": "a third phrase"})
    assert again.status_code == 400
    assert "Linket er allerede brugt: hvert link virker én gang." in again.text
    db.session.refresh(person)
    assert person.check_password(NEW["password"])
    assert db.session.scalar(sa.select(LinkToken.used_at)) is not None


def test_an_expired_link_is_refused(client, monkeypatch):
    person = f.user()
    token = services.reset_token(person, now=utcnow())
    db.session.commit()
    monkeypatch.setattr(views, "utcnow", lambda: utcnow() + timedelta(hours=1, seconds=1))
    page = client.get(f"/auth/reset/{token}")
    assert page.status_code == 400 and "Linket er udløbet: det virker i en time." in page.text


def test_an_altered_or_foreign_purpose_token_is_refused(client):
    person = f.user()
    token = services.reset_token(person)
    other = "x" * 43
    db.session.add(LinkToken(purpose="something-else", token_hash=hashlib.sha256(
        other.encode()).hexdigest(), user_id=person.id, password_fingerprint="-",
        expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, other, "9" * 5000):
        page = client.get(f"/auth/reset/{bad}")
        assert page.status_code == 400 and "Linket er ikke gyldigt" in page.text, bad[:20]
    assert client.get(f"/auth/reset/{token}\x00").status_code == 404  # no such URL


def test_a_password_change_voids_older_reset_links(client):
    person = f.user()
    first, second = services.reset_token(person), services.reset_token(person)
    db.session.commit()
    assert client.post(f"/auth/reset/{first}", data=NEW).status_code == 302
    page = client.get(f"/auth/reset/{second}")
    assert page.status_code == 400 and "adgangskoden er skiftet" in page.text
    third = services.reset_token(db.session.get(User, person.id))
    db.session.commit()
    client.post("/auth/login", data={"email": person.email, "password": NEW["password"]})
    changed = client.post("/auth/password", data={
        "current": NEW["password"], "password": "yet another phrase",
        "confirm": "yet another phrase"})
    assert changed.status_code == 302
    voided = client.get(f"/auth/reset/{third}")  # logged in: the page is in his English
    assert voided.status_code == 400
    assert "the password has been changed since it was sent" in voided.text


def test_two_requests_with_one_token_spend_it_once(app):
    person = f.user()
    token = services.reset_token(person)
    db.session.commit()
    now = utcnow()
    row, _problem = services.reset_for(token, now)
    same, _problem = services.reset_for(token, now)  # both read before either writes
    assert services.use_reset(row, "first new phrase", now) is True
    assert services.use_reset(same, "second new phrase", now) is False
    db.session.commit()
    assert db.session.get(User, person.id).check_password("first new phrase")


def test_the_same_forgot_post_many_times_sends_three_mails_an_hour(client, outbox, monkeypatch):
    person = f.user(email="glemsom@example.com")
    answers = {(r.status_code, r.headers["Location"]) for r in
               (_forgot(client, person.email) for _ in range(6))}
    assert answers == {(302, "/auth/login")}  # the same neutral answer every time
    assert len(outbox()) == 3
    assert db.session.scalar(sa.select(sa.func.count(LinkToken.id))) == 3
    monkeypatch.setattr(views, "utcnow", lambda: utcnow() + timedelta(hours=1, minutes=1))
    _forgot(client, person.email)
    assert len(outbox()) == 4


def test_one_address_asking_for_many_accounts_is_limited(app, client, outbox):
    person = f.user(email="glemsom@example.com")
    limit = app.config["RESET_MAX_PER_ADDRESS"]
    for n in range(limit + 5):
        _forgot(client, f"unknown{n}@example.com", CAFE)
    withheld = _forgot(client, person.email, CAFE)
    assert withheld.status_code == 302 and outbox() == []
    assert db.session.scalar(sa.select(sa.func.count(ResetRequest.id))) == limit
    _forgot(client, person.email, HOME)
    assert [f.to(m) for m in outbox()] == [person.email]


def test_known_and_unknown_addresses_get_the_same_answer(client):
    f.user(email="glemsom@example.com")
    known = client.post("/auth/forgot", data={"email": "glemsom@example.com"},
                        follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "nobody@example.com"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert "Hvis vi kender adressen" in known.text and "Hvis vi kender adressen" in unknown.text


def test_the_same_forgot_post_at_the_same_moment_sends_one_mail(tmp_path, empty_database_url):
    """Three identical requests at once on a database of their own: the limit of one holds."""
    import threading

    from netapp import create_app

    url = empty_database_url
    racing = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                         "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "netapp.test",
                         "RESET_MAX_PER_ACCOUNT": 1})
    racing.instance_path = str(tmp_path / "instance")
    with racing.app_context():
        db.create_all()
        f.user(email="glemsom@example.com")
    barrier, statuses = threading.Barrier(3), []

    def post(c):
        barrier.wait()
        response = c.post("/auth/forgot", data={"email": "glemsom@example.com"})
        response.close()
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(racing.test_client(),)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with racing.app_context():
        try:
            assert statuses == [302, 302, 302]
            assert db.session.scalar(sa.select(sa.func.count(LinkToken.id))) == 1
            assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 1
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
