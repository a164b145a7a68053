"""Login throttling that an attacker cannot turn against a member, and one scrypt check for
every wrong login, whether the account exists or not."""

from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from netapp.auth import services
from netapp.auth.models import LoginFailure, hash_password, utcnow
from netapp.extensions import db
from tests import factories as f

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
MEMBER_HOME = {"REMOTE_ADDR": "198.51.100.20"}
VENUE = {"REMOTE_ADDR": "192.0.2.44"}  # one NAT address for a whole meeting room
TOO_MANY = "For mange forsøg"


def _login(client, email, password, where):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base=where)


def test_unknown_account_costs_one_scrypt_check_of_production_cost(client, monkeypatch):
    checked = []

    def spy(stored, password):
        checked.append(stored)
        return check_password_hash(stored, password)

    monkeypatch.setattr(services, "check_password_hash", spy)
    person = f.user(email="known@example.com")
    gone = f.user(email="gone@example.com", active=False)
    for email in ("known@example.com", "nobody@example.com", gone.email):
        page = _login(client, email, "not the password" if email != gone.email else f.PASSWORD,
                      MEMBER_HOME)
        assert "Forkert e-mail eller adgangskode." in page.text
    production = hash_password("anything").split("$")[0]  # method and scrypt parameters
    # one check per login; the dummy costs what a stored password costs in production
    # (the suite's own users are hashed cheaply, tests/factories.py)
    assert len(checked) == 3 and checked[1].split("$")[0] == production
    assert checked[0] == person.password_hash and checked[2] == gone.password_hash
    assert checked[1] not in (person.password_hash, gone.password_hash)  # the dummy


def test_an_attacker_elsewhere_cannot_lock_a_member_out(client):
    member = f.user(email="member@example.com")
    for _ in range(50):
        _login(client, member.email, "guessing again", ATTACKER)
    stopped = _login(client, member.email, f.PASSWORD, ATTACKER)
    assert TOO_MANY in stopped.text  # the attacker at X is stopped, even with the password
    failures = db.session.scalars(sa.select(LoginFailure.address)).all()
    assert len(failures) == 10  # refused attempts are not even checked
    member_logs_in = _login(client, member.email, f.PASSWORD, MEMBER_HOME)
    assert member_logs_in.status_code == 302


def test_twenty_members_behind_one_venue_address_mistype_and_log_in(app):
    members = [f.user(email=f"leader{n}@example.com") for n in range(20)]
    for member in members:
        tablet = app.test_client()
        for typo in ("correct horse", "Correct horse battery"):
            assert "Forkert" in _login(tablet, member.email, typo, VENUE).text
        assert _login(tablet, member.email, f.PASSWORD, VENUE).status_code == 302, member.email


def test_spraying_many_accounts_from_one_address_hits_the_ceiling(app, client):
    victim = f.user(email="victim@example.com")
    now = utcnow()
    ceiling = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    assert ceiling > 20 * 2  # twenty members who each mistype twice stay below it
    db.session.add_all(
        LoginFailure(email=f"guess{n}@example.com", address=ATTACKER["REMOTE_ADDR"],
                     at=now - timedelta(minutes=1))
        for n in range(ceiling)
    )
    db.session.commit()
    assert TOO_MANY in _login(client, victim.email, f.PASSWORD, ATTACKER).text
    assert _login(client, victim.email, f.PASSWORD, MEMBER_HOME).status_code == 302


def test_old_failures_no_longer_count(app, client):
    member = f.user(email="later@example.com")
    db.session.add_all(
        LoginFailure(email=member.email, address=ATTACKER["REMOTE_ADDR"],
                     at=utcnow() - app.config["LOGIN_WINDOW"] - timedelta(minutes=1))
        for _ in range(app.config["LOGIN_MAX_FAILURES"])
    )
    db.session.commit()
    assert _login(client, member.email, f.PASSWORD, ATTACKER).status_code == 302
