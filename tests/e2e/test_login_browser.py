"""A member logs in on a tablet: no console errors, no CSP violations, the page in Danish."""

import pytest
from playwright.sync_api import expect

from netapp.extensions import db
from tests import factories as f
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


def test_login_on_a_tablet(live_app, page, watch):
    with live_app.app_context():
        f.user(email="tablet@example.com", name="Tove Tablet", language="da")
        db.session.remove()
    base = live_app.config["LIVE_URL"]
    page.goto(f"{base}/home")
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    shoot(page, "login-tablet")
    page.get_by_label("E-mail").fill("tablet@example.com")
    page.get_by_label("Adgangskode").fill("wrong password")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_text("Forkert e-mail eller adgangskode.")).to_be_visible()
    assert page.get_by_label("E-mail").input_value() == "tablet@example.com"
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")
    expect(page.get_by_role("heading", name="Velkommen, Tove Tablet")).to_be_visible()
    shoot(page, "home-tablet")


def test_login_page_on_a_phone(live_app, browser, watch):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    phone = context.new_page()
    phone.goto(f"{live_app.config['LIVE_URL']}/auth/login")
    expect(phone.get_by_role("heading", name="Logg inn")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    shoot(phone, "login-phone")
    context.close()
