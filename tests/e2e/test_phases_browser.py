"""A coordinator plans three phases on a tablet (1024×768), with core participants and
participants per phase, and sees the plan as a timeline on the network page."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings.zones import DEFAULT_ZONE, to_local
from netapp.networks.models import Membership, Participation, Role
from tests import factories as f
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


def _login(page, base, email):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")


def _plan(page, name, purpose, start, end, people=()):
    page.get_by_label("Fasens navn").fill(name)
    page.get_by_label("Fasens formål").fill(purpose)
    page.get_by_label("Starter").fill(start.isoformat())
    page.get_by_label("Slutter").fill(end.isoformat())
    for person in people:
        page.get_by_label(person).check()
    page.get_by_role("button", name="Gem fasen").click()


def test_plan_three_phases_on_a_tablet(live_app, page, watch):
    assert page.viewport_size == {"width": 1024, "height": 768}
    with live_app.app_context():
        network = f.network(f.organisation(), name="Trivsel i ældreplejen")
        f.member(network, Role.COORDINATOR, email="tove@example.com", name="Tove Tovholder",
                 language="da")
        for i in range(4):
            f.member(network, Role.MEMBER, name=f"Kerne {i + 1}")
        for name in ("Yasmin Borger", "Torben Forsker"):
            person = f.member(network, Role.MEMBER, name=name)
            db.session.scalar(sa.select(Membership).where(
                Membership.user_id == person.id)).participation = Participation.PHASE
        db.session.commit()
        network_id = network.id
        db.session.remove()
    today = to_local(utcnow(), ZoneInfo(DEFAULT_ZONE)).date()  # the network's today
    base = live_app.config["LIVE_URL"]
    _login(page, base, "tove@example.com")
    page.goto(f"{base}/networks/{network_id}")
    page.get_by_role("link", name="Faser", exact=True).click()
    expect(page.get_by_text("Netværket har endnu ingen faseplan.")).to_be_visible()
    _plan(page, "Forstå udfordringen", "Vi taler med borgere og pårørende.",
          today - timedelta(days=7), today + timedelta(days=30), ["Yasmin Borger"])
    expect(page.get_by_text("Fasen er gemt.")).to_be_visible()
    _plan(page, "Udvikl idéer", "Idéer sammen med forskere.",
          today + timedelta(days=31), today + timedelta(days=90), ["Torben Forsker"])
    # a third phase typed over the second: refused at the field, what was typed stays
    _plan(page, "Afprøv og forankr", "To plejecentre prøver idéerne.",
          today + timedelta(days=80), today + timedelta(days=150), ["Yasmin Borger"])
    expect(page.get_by_text("Perioden overlapper fasen “Udvikl idéer”")).to_be_visible()
    expect(page.get_by_label("Fasens navn")).to_have_value("Afprøv og forankr")
    expect(page.get_by_label("Yasmin Borger")).to_be_checked()
    shoot(page, "phases-overlap-tablet")
    page.get_by_label("Starter").fill((today + timedelta(days=91)).isoformat())
    page.get_by_role("button", name="Gem fasen").click()
    expect(page.get_by_text("Fasen er gemt.")).to_be_visible()
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("1. Forstå udfordringen")
    expect(timeline.nth(0)).to_contain_text("Yasmin Borger")
    expect(timeline.nth(2)).to_contain_text("3. Afprøv og forankr")
    expect(page.get_by_text("Nu: Forstå udfordringen")).to_be_visible()
    # the tablet shows the three phases side by side, without scrolling sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    boxes = [timeline.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    shoot(page, "phases-plan-tablet")
    page.get_by_role("link", name="Overblik").click()
    expect(page.locator("#phases li[aria-current=step]")).to_contain_text("Forstå udfordringen")
    shoot(page, "phases-network-tablet")
