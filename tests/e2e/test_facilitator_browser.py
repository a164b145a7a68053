"""The demo's facilitator runs his coming meeting in a browser: from home to the meeting,
the check-in list and a live exercise, without holding the meeting's facilitation task."""

import re

import pytest
from playwright.sync_api import expect

from netapp import demo
from netapp.extensions import db
from tests.e2e.conftest import settled, shoot

pytestmark = pytest.mark.browser
COMING = "Konflikter og lederens rolle"  # the demo's meeting in two weeks


def test_the_demo_facilitator_opens_checks_in_and_runs_his_coming_meeting(live_app, page,
                                                                          watch):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        demo.seed()
        db.session.commit()
        db.session.remove()
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill("facilitator@example.com")
    page.get_by_label("Adgangskode").fill(demo.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")

    page.locator(".meetings-panel a.meeting-link", has_text=COMING).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("body")).to_contain_text(COMING)
    meeting_url = page.url
    page.get_by_role("link", name="Tjek ind-liste").click()
    expect(page.get_by_role("heading", name="Tjek ind")).to_be_visible()
    # Sofie holds the meeting's facilitation task, so she runs the room with him and takes no
    # part in the exercises: Anders and Camilla speak.
    for name in ("Sofie Lund", "Anders Holm", "Camilla Dahl"):
        button = page.locator(".checkin-row button", has_text=name)
        button.click()
        expect(page.locator(".checkin-row button", has_text=name)).to_have_attribute(
            "aria-pressed", "true")
    shoot(page, "facilitator-checkin")

    page.goto(meeting_url)
    page.get_by_role("link", name="Øvelser i rummet", exact=True).click()
    page.get_by_role("button", name="Opret præsentationsrunden").click()
    page.wait_for_url(re.compile(r"/live/exercise/\d+/facilitate$"))
    controls = page.locator("#live-clock .live-controls")
    controls.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-running"), timeout=10_000)
    settled(page)  # the swapped-in controls are wired up by htmx before they are pressed
    controls = page.locator("#live-clock .live-controls")
    controls.get_by_role("button", name="Næste", exact=True).click()
    expect(page.locator("#live-clock")).to_contain_text("Taler 2 af 2", timeout=10_000)
    shoot(page, "facilitator-runs-the-round")
