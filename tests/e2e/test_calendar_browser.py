"""A coordinator moves an invited meeting and tells the invitees, then cancels it: the edit
form asks, the meeting page and the list show it cancelled, at phone, tablet and desktop
width, in Danish, Norwegian and English."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings import mailing
from netapp.meetings.models import Meeting
from netapp.networks.models import Role
from tests import factories as f
from tests.e2e.conftest import shoot, watch_page

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "tablet": (1024, 768), "desktop": (1920, 1080)}
CANCELLED = {"da": "Aflyst", "nb": "Avlyst", "en": "Cancelled"}


def _world(app) -> dict:
    with app.app_context(), app.test_request_context(base_url=app.config["LIVE_URL"]):
        net = f.network(name='Ledernetværk "Øst"; Aarhus, Midt')
        coordinator = f.member(net, Role.COORDINATOR, name="Mette Kjærgaard", language="da",
                               email="tovholder@example.com")
        for name in ("Sofie Lund", "Anders Holm"):
            f.member(net, name=name, language="da")
        start = (utcnow() + timedelta(days=14)).replace(hour=12, minute=0, second=0,
                                                       microsecond=0)
        mtg = f.meeting(net, starts_at=start, topic="Konflikter og lederens rolle",
                        venue="Klinikken, Mejlgade 1; 2. sal")
        f.meeting(net, starts_at=start + timedelta(days=60), topic="Strategi")
        mailing.send_invitations(mtg, utcnow())
        db.session.commit()
        return {"meeting": mtg.id, "network": net.id, "coordinator": coordinator.id,
                "day": (start + timedelta(days=1)).date().isoformat()}


def _login(page, base):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill("tovholder@example.com")
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")


def _shoot_all(app, browser, base, ids, step: str) -> None:
    """Each page at each width and language, with no sideways scrolling."""
    pages = {"edit": f"/meetings/{ids['meeting']}/edit", "meeting": f"/meetings/{ids['meeting']}",
             "list": f"/meetings/network/{ids['network']}"}
    for lang in ("da", "nb", "en"):
        with app.app_context():
            db.session.get(User, ids["coordinator"]).language = lang
            db.session.commit()
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height},
                                          locale="da-DK")  # the login page is Danish
            page = context.new_page()
            problems = watch_page(page)
            _login(page, base)
            for name, path in pages.items():
                if step == "cancelled" and name == "edit":
                    continue  # a cancelled meeting is not changed any more
                page.goto(base + path)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                    name, size, lang)
                shoot(page, f"calendar-{step}-{name}-{size}-{lang}")
                if step == "cancelled" and name == "list":
                    assert page.locator(".meeting-row.cancelled .pill").inner_text() == (
                        CANCELLED[lang])
            context.close()
            assert problems == [], problems


def test_move_tell_and_cancel_in_a_browser(live_app, browser):
    ids = _world(live_app)
    base = live_app.config["LIVE_URL"]
    _shoot_all(live_app, browser, base, ids, "invited")
    with live_app.app_context():
        db.session.get(User, ids["coordinator"]).language = "da"
        db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    page = context.new_page()
    problems = watch_page(page)
    _login(page, base)
    page.goto(f"{base}/meetings/{ids['meeting']}/edit")
    tell = page.get_by_label("Send de inviterede en opdatering", exact=False)
    expect(tell).to_be_checked()
    page.get_by_label("Dato").fill(ids["day"])
    page.get_by_role("button", name="Gem").click()
    page.get_by_text("Mødet er gemt. Inviterede, der har fået ændringen på e-mail: 3.").wait_for()
    page.goto(f"{base}/meetings/{ids['meeting']}/edit")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Aflys mødet").click()
    page.get_by_text("Mødet er aflyst. Inviterede, der har fået besked: 3.").wait_for()
    shoot(page, "calendar-cancelled-flash-phone-da")
    context.close()
    assert problems == []
    with live_app.app_context():
        mtg = db.session.get(Meeting, ids["meeting"])
        assert mtg.is_cancelled and mtg.sequence == 2
    _shoot_all(live_app, browser, base, ids, "cancelled")
