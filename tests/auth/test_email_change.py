"""Changing the e-mail: the password first, then a link to the new address; the old address
is told and stays in force until the link is opened."""

import re
from datetime import timedelta

import sqlalchemy as sa

from netapp.auth.models import EmailChange, User, utcnow
from netapp.extensions import db
from tests import factories as f


def _ask(client, person, email, password=f.PASSWORD, **extra):
    data = {"name": person.name, "email": email, "language": person.language,
            "password": password} | extra
    return client.post("/auth/profile", data=data, follow_redirects=True)


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _confirm_path(outbox, to: str) -> str:
    [message] = [m for m in outbox() if f.to(m) == to]
    return re.search(r"http://netapp\.test(/auth/email/\S+)", _body(message)).group(1)


def _email_of(person) -> str:
    db.session.expire_all()
    return db.session.get(User, person.id).email


def _can_log_in(app, email) -> bool:
    response = app.test_client().post("/auth/login", data={"email": email,
                                                            "password": f.PASSWORD})
    return response.status_code == 302


def test_the_change_needs_the_current_password(client, login_as, outbox):
    person = f.user(email="old@example.com")
    login_as(person)
    missing = _ask(client, person, "new@example.com", password="")
    assert "Enter your current password to change the e-mail." in missing.text
    wrong = _ask(client, person, "new@example.com", password="not my password")
    assert "That is not your current password." in wrong.text
    assert 'value="new@example.com"' in wrong.text  # what was typed stays
    assert outbox() == [] and _email_of(person) == "old@example.com"
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 0


def test_the_new_address_confirms_and_the_old_is_told(app, client, login_as, outbox):
    person = f.user(email="old@example.com", name="Ada Lund")
    login_as(person)
    page = _ask(client, person, "New@Example.com ")
    assert "we have sent a link to it" in page.text and "it stays old@example.com" in page.text
    assert "Waiting for you to open the link we sent to new@example.com" in page.text
    notice = next(m for m in outbox() if f.to(m) == "old@example.com")
    assert "new@example.com" in _body(notice) and "netapp" in notice["Subject"]
    path = _confirm_path(outbox, "new@example.com")
    # Until the link is opened the old address is the login, and the new one is not.
    assert _email_of(person) == "old@example.com"
    assert _can_log_in(app, "old@example.com") and not _can_log_in(app, "new@example.com")
    client.post("/auth/logout")
    shown = client.get(path)  # opening the link asks; it changes nothing by itself
    assert shown.status_code == 200 and "new@example.com" in shown.text
    assert _email_of(person) == "old@example.com"
    done = client.post(path)
    assert done.status_code == 302
    assert _email_of(person) == "new@example.com"
    assert _can_log_in(app, "new@example.com") and not _can_log_in(app, "old@example.com")
    changed = [m for m in outbox() if f.to(m) == "old@example.com"][-1]
    assert "now new@example.com" in _body(changed)
    assert client.post(path).status_code == 400  # used once
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 0


def test_only_the_links_hash_is_stored(client, login_as, outbox):
    person = f.user()
    login_as(person)
    _ask(client, person, "new@example.com")
    token = _confirm_path(outbox, "new@example.com").rsplit("/", 1)[1]
    row = db.session.execute(sa.select(EmailChange.__table__)).one()
    assert token not in [str(value) for value in row]


def test_an_expired_link_changes_nothing(client, login_as, outbox):
    person = f.user(email="old@example.com")
    login_as(person)
    _ask(client, person, "new@example.com")
    path = _confirm_path(outbox, "new@example.com")
    change = db.session.scalar(sa.select(EmailChange))
    assert change.expires_at - change.created_at == timedelta(hours=24)
    change.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.post(path)
    assert expired.status_code == 400 and "The link has expired" in expired.text
    assert _email_of(person) == "old@example.com"


def test_someone_elses_link_changes_neither_account(app, client, login_as, outbox):
    owner, other = f.user(email="owner@example.com"), f.user(email="other@example.com")
    login_as(owner)
    _ask(client, owner, "fresh@example.com")
    path = _confirm_path(outbox, "fresh@example.com")
    login_as(other)
    refused = client.post(path)
    assert refused.status_code == 403 and "belongs to another account" in refused.text
    assert _email_of(owner) == "owner@example.com" and _email_of(other) == "other@example.com"
    assert client.post("/auth/email/" + "x" * 43).status_code == 400  # a made-up token


def test_an_address_taken_before_the_link_is_opened_stays_with_its_owner(
    client, login_as, outbox
):
    first, second = f.user(email="first@example.com"), f.user(email="second@example.com")
    login_as(first)
    _ask(client, first, "wanted@example.com")
    path_first = _confirm_path(outbox, "wanted@example.com")
    login_as(second)
    _ask(client, second, "wanted@example.com")
    [_, second_mail] = [m for m in outbox() if f.to(m) == "wanted@example.com"]
    path_second = re.search(r"http://netapp\.test(/auth/email/\S+)", _body(second_mail)).group(1)
    assert client.post(path_second).status_code == 302
    assert _email_of(second) == "wanted@example.com"
    client.post("/auth/logout")  # the pages after it keep second's language, English
    late = client.post(path_first)  # checked again: never two accounts with one address
    assert late.status_code == 409 and "cannot be used for your account" in late.text
    assert _email_of(first) == "first@example.com"
    assert client.post(path_first).status_code == 400  # and the link is spent


def test_asking_again_replaces_the_waiting_link(client, login_as, outbox):
    person = f.user()
    login_as(person)
    _ask(client, person, "one@example.com")
    _ask(client, person, "two@example.com")
    assert client.post(_confirm_path(outbox, "one@example.com")).status_code == 400
    assert client.post(_confirm_path(outbox, "two@example.com")).status_code == 302
    assert _email_of(person) == "two@example.com"


def test_the_mails_and_pages_speak_the_members_language(client, login_as, outbox):
    person = f.user(email="old@example.com", language="da")
    login_as(person)
    page = _ask(client, person, "ny@example.com")
    assert "Hvis ny@example.com kan bruges" in page.text
    confirm = next(m for m in outbox() if f.to(m) == "ny@example.com")
    assert confirm["Subject"] == "Bekræft din nye e-mail til netapp"
    person.language = "nb"
    db.session.commit()
    nb = _ask(client, person, "nytt@example.com")
    assert "Hvis nytt@example.com kan brukes" in nb.text
