"""Meetings in a browser: a member answers from the e-mailed link on a phone; a coordinator
builds the first meeting's agenda from the template on a tablet and reorders it with buttons."""

import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.mail.outbox import deliver_due
from netapp.meetings import mailing, tasks
from netapp.meetings.models import Answer, Attendance, MeetingKind
from netapp.networks.models import Role
from tests import factories as f
from tests.e2e.conftest import shoot, watch_page

pytestmark = pytest.mark.browser


def _world(app):
    """A network with a coordinator and members, and a first meeting in two weeks."""
    with app.app_context():
        net = f.network(name="Ledernetværk Østjylland")
        coordinator = f.member(
            net,
            Role.COORDINATOR,
            name="Mette Kjærgaard",
            language="da",
            email="tovholder@example.com",
        )
        members = [
            f.member(net, name=n, language="da")
            for n in ("Sofie Lund", "Anders Holm", "Camilla Dahl", "Rasmus Friis")
        ]
        start = (utcnow() + timedelta(days=14)).replace(hour=11, minute=0, second=0, microsecond=0)
        mtg = f.meeting(
            net,
            starts_at=start,
            hours=3.5,
            kind=MeetingKind.FIRST,
            topic="Opstart",
            venue="Klinikken, Mejlgade 1",
        )
        tasks.ensure_tasks(mtg)
        db.session.commit()
        ids = {"meeting": mtg.id, "member": members[0].email, "coordinator": coordinator.email}
        db.session.remove()
    return ids


def _answer_link(app, ids) -> str:
    with app.app_context(), app.test_request_context(base_url=app.config["LIVE_URL"]):
        from netapp.meetings.models import Meeting

        mailing.send_invitations(db.session.get(Meeting, ids["meeting"]), utcnow())
        db.session.commit()
        deliver_due()  # the mail worker: without a mail server it writes .eml files
    for path in sorted((Path(app.instance_path) / "outbox").glob("*.eml")):
        mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if f.to(mail) == ids["member"]:
            body = mail.get_body(("plain",)).get_content()
            return re.search(r"http://\S+/rsvp/\S+\?a=no", body).group(0)
    raise AssertionError("no invitation to the member in the outbox")


def test_member_answers_from_the_emailed_link_on_a_phone(live_app, browser):
    ids = _world(live_app)
    link = _answer_link(live_app, ids)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    phone = context.new_page()
    problems = watch_page(phone)  # console errors and CSP violations
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Opstart")).to_be_visible()
    expect(phone.get_by_label("Nej (afbud)")).to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "meetings-rsvp-phone")
    phone.get_by_label("Grund til afbud (frivilligt)").fill("Kursus i Odense")
    phone.get_by_role("button", name="Bekræft mit svar").click()
    expect(phone.get_by_text("Tak, Sofie Lund. Dit svar er gemt.")).to_be_visible()
    shoot(phone, "meetings-rsvp-saved-phone")
    context.close()
    assert problems == []
    with live_app.app_context():
        row = db.session.scalars(db.select(Attendance)).one()
        assert (row.answer, row.reason) == (Answer.NO, "Kursus i Odense")


def _login(page, base, email):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")


def test_coordinator_builds_the_first_agenda_on_a_tablet(live_app, page, watch):
    ids = _world(live_app)
    base = live_app.config["LIVE_URL"]
    _login(page, base, ids["coordinator"])
    shoot(page, "meetings-home-tablet")
    page.goto(f"{base}/meetings/{ids['meeting']}/agenda")
    page.get_by_label("Skabelon").select_option("first")
    page.get_by_role("button", name="Tilføj skabelonens punkter").click()
    titles = page.locator(".agenda-item .title")
    titles.first.wait_for()
    expect(titles).to_have_count(9)
    expect(titles.nth(1)).to_contain_text("Præsentationsrunde")
    expect(page.get_by_text("Planlagt 160 af 210 minutter.")).to_be_visible()  # 2 min × 5
    page.get_by_role("button", name="Flyt ned: Velkomst og netværkets formål").click()
    expect(titles.first).to_contain_text("Præsentationsrunde")  # no eval: the CSP forbids it
    expect(titles.nth(1)).to_contain_text("Velkomst")
    shoot(page, "meetings-agenda-tablet")
    page.get_by_label("Punkt").fill("Ekstra pause")
    page.get_by_label("Minutter").fill("-5")
    page.get_by_role("button", name="Tilføj", exact=True).click()
    page.get_by_text("Angiv en længde mellem 1 og 480 minutter.").wait_for()
    assert page.get_by_label("Punkt").input_value() == "Ekstra pause"
    page.get_by_label("Minutter").fill("65")
    page.get_by_role("button", name="Tilføj", exact=True).click()
    page.get_by_text("Dagsordenen er 15 minutter for lang til mødet.").wait_for()
    shoot(page, "meetings-agenda-too-long-tablet")
    page.goto(f"{base}/meetings/{ids['meeting']}")
    shoot(page, "meetings-meeting-tablet")
    page.goto(f"{base}/meetings/{ids['meeting']}/tasks")
    page.get_by_role("button", name="Fordel de ledige opgaver retfærdigt").click()
    page.locator("#tasks-panel select").first.wait_for()
    shoot(page, "meetings-tasks-tablet")
    page.goto(f"{base}/meetings/{ids['meeting']}/checkin")
    page.get_by_role("button", name=re.compile("Sofie Lund")).click()
    page.locator("button.checkin.here").wait_for()
    shoot(page, "meetings-checkin-tablet")
    page.goto(f"{base}/meetings/{ids['meeting']}/agenda/print")
    page.emulate_media(media="print")
    shoot(page, "meetings-agenda-print")
