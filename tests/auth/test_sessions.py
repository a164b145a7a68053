"""Device sessions: logging out ends this device only; "log out everywhere" and a password
change end the others; a copied cookie of a logged-out device stays refused."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from netapp.auth.models import DeviceSession, User
from netapp.extensions import db
from tests import factories as f

DOMAIN = "netapp.test"


def _log_in(app, person, remember=False):
    device = app.test_client()
    response = device.post("/auth/login", data={
        "email": person.email, "password": f.PASSWORD, "remember": "y" if remember else ""})
    assert response.status_code == 302
    return device


def _logged_in(device) -> bool:
    return device.get("/home").status_code == 200


def _copy(device, name="session"):
    """What a thief copies off a device: the cookie's value."""
    return device.get_cookie(name, domain=DOMAIN).value


def _replayed(app, value, name="session"):
    thief = app.test_client()
    thief.set_cookie(name, value, domain=DOMAIN)
    return thief


def test_logging_out_on_the_phone_leaves_the_tablet_logged_in(app):
    person = f.user()
    phone, tablet = _log_in(app, person), _log_in(app, person)
    copied = _copy(phone)
    assert phone.post("/auth/logout").status_code == 302
    assert not _logged_in(phone)
    assert _logged_in(tablet)
    assert not _logged_in(_replayed(app, copied))  # the logged-out cookie opens nothing
    assert db.session.scalar(sa.select(sa.func.count(DeviceSession.id))) == 1


def test_log_out_everywhere_ends_every_device(app):
    person = f.user()
    phone, tablet = _log_in(app, person), _log_in(app, person)
    copied = _copy(tablet)
    response = phone.post("/auth/logout/everywhere", follow_redirects=True)
    assert "You are logged out on every device." in response.text  # the user's English
    assert not _logged_in(phone) and not _logged_in(tablet)
    assert not _logged_in(_replayed(app, copied))
    assert db.session.scalar(sa.select(sa.func.count(DeviceSession.id))) == 0


@pytest.mark.own_app(WTF_CSRF_ENABLED=True)
def test_the_profile_has_the_log_out_everywhere_button_with_csrf(app):
    person = f.user()
    device = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      device.get("/auth/login").text).group(1)
    device.post("/auth/login", data={"email": person.email, "password": f.PASSWORD,
                                     "csrf_token": token})
    profile = device.get("/auth/profile")
    assert 'action="/auth/logout/everywhere"' in profile.text
    assert device.post("/auth/logout/everywhere").status_code == 400  # no token: refused
    assert _logged_in(device)


def test_a_password_change_ends_the_other_devices_and_keeps_this_one(app):
    person = f.user()
    phone, tablet = _log_in(app, person), _log_in(app, person)
    response = phone.post("/auth/password", data={
        "current": f.PASSWORD, "password": "a brand new phrase", "confirm": "a brand new phrase"})
    assert response.status_code == 302
    assert _logged_in(phone) and not _logged_in(tablet)


def test_deactivation_and_deletion_end_every_device(app):
    person, leaver = f.user(), f.user()
    leaver_id = leaver.id
    tablet, phone = _log_in(app, person), _log_in(app, leaver)
    person.active = False
    db.session.commit()
    assert not _logged_in(tablet)
    assert phone.post("/privacy/delete", data={"password": f.PASSWORD, "confirm": "y"}
                      ).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(DeviceSession.id)).where(
        DeviceSession.user_id == leaver_id)) == 0


def test_only_the_hash_of_the_device_token_is_stored(app):
    person = f.user()
    phone = _log_in(app, person)
    with phone.session_transaction() as session:
        token = session["_user_id"]
    stored = db.session.execute(sa.select(DeviceSession.__table__)).one()
    assert token not in [str(value) for value in stored]
    assert token != db.session.get(User, person.id).session_token


def test_the_remember_cookie_is_per_device_too(app):
    person = f.user()
    phone, tablet = _log_in(app, person, remember=True), _log_in(app, person, remember=True)
    remembered = _copy(phone, "remember_token")
    # The browser closed: only the remember cookie is left, and it logs the phone back in.
    assert _logged_in(_replayed(app, remembered, "remember_token"))
    tablet.post("/auth/logout")
    assert _logged_in(_replayed(app, remembered, "remember_token"))
    phone.post("/auth/logout")
    assert not _logged_in(_replayed(app, remembered, "remember_token"))


def test_a_writing_request_marks_the_device_seen_and_a_read_does_not(app):
    person = f.user()
    phone = _log_in(app, person)
    device = db.session.scalar(sa.select(DeviceSession))
    device.last_seen_at -= timedelta(hours=2)
    db.session.commit()
    stale = device.last_seen_at
    phone.get("/home")
    db.session.expire_all()
    assert db.session.scalar(sa.select(DeviceSession)).last_seen_at == stale
    phone.post("/auth/profile", data={"name": "Ny", "email": person.email, "language": "en"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(DeviceSession)).last_seen_at > stale


def test_purge_expired_drops_idle_device_logins_and_unconfirmed_changes(app):
    from datetime import datetime

    from netapp.auth.models import EmailChange

    person = f.user()
    db.session.add_all([
        DeviceSession(user_id=person.id, token_hash="a" * 64, last_seen_at=datetime(2026, 1, 1)),
        DeviceSession(user_id=person.id, token_hash="b" * 64, last_seen_at=datetime(2026, 3, 1)),
        EmailChange(user_id=person.id, new_email="n@example.com", token_hash="c" * 64,
                    expires_at=datetime(2026, 4, 9)),
    ])
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-expired", "--now", "2026-04-10T12:00"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(sa.select(DeviceSession.token_hash)).all() == ["b" * 64]
    assert db.session.scalar(sa.select(sa.func.count(EmailChange.id))) == 0


def test_the_tablets_clock_poll_survives_the_phones_logout_in_one_query(app, count_queries,
                                                                        frozen_clock):
    """The fast poll checks this device's login in its one query: the phone logging out
    leaves the tablet's 204; the phone's copied cookie gets the login."""
    import html

    from tests.live.conftest import make_room
    from tests.live.helpers import HX

    room = make_room()
    exercise = f.live_exercise(room.meeting, "presentation")
    reader = room.members[0]
    phone, tablet = _log_in(app, reader), _log_in(app, reader)
    fragment = tablet.get(f"/live/exercise/{exercise.id}/clock", headers=HX).text
    poll = html.unescape(re.search(r'hx-get="([^"]+)"', fragment).group(1))
    copied = _copy(phone)
    assert phone.get(poll, headers=HX).status_code == 204
    phone.post("/auth/logout")
    db.session.expire_all()
    with count_queries() as n:
        response = tablet.get(poll, headers=HX)
    assert response.status_code == 204 and n() == 1
    assert _replayed(app, copied).get(poll, headers=HX).status_code == 401
    tablet.post("/auth/logout/everywhere")
    assert tablet.get(poll, headers=HX).status_code == 401
