"""The kiosk lock in a real browser: the tablet's cookies from before locking, put back, still
open only the kiosk; the facilitator's phone is not locked, and its "log out everywhere" ends
the tablet's login and with it the kiosk."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_room_browser import HERE, check_in, log_in, seeded

pytestmark = pytest.mark.browser


def test_cookies_from_before_the_lock_put_back_open_only_the_kiosk(live_app, browser):
    base = live_app.config["LIVE_URL"]
    meeting_id = seeded(live_app)
    kiosk = f"{base}/evaluations/meeting/{meeting_id}/kiosk"
    tablet, problems = log_in(browser, base, "facilitator@example.com")
    check_in(tablet, base, meeting_id, HERE[:2])
    tablet.goto(f"{base}/evaluations/meeting/{meeting_id}/round")
    tablet.get_by_role("button", name="Åbn evalueringen").click()
    before = tablet.context.cookies()  # every cookie of the facilitator's login, unlocked
    tablet.locator("summary", has_text="Fælles tablet").click()
    tablet.get_by_label("Facilitatorens PIN-kode (4-8 cifre)").fill("2468")
    tablet.get_by_role("button", name="Lås og send den rundt").click()
    tablet.wait_for_url(kiosk)

    tablet.context.clear_cookies()
    tablet.context.add_cookies(before)
    for path in ("/home", "/auth/profile", f"/evaluations/meeting/{meeting_id}/round"):
        tablet.goto(f"{base}{path}")
        assert tablet.url == kiosk, path
    expect(tablet.locator(".topbar")).to_have_count(0)

    phone, phone_problems = log_in(browser, base, "facilitator@example.com",
                                   viewport={"width": 390, "height": 844})
    phone.goto(f"{base}/auth/profile")  # the same account on another device: not locked
    assert phone.url == f"{base}/auth/profile"
    phone.get_by_role("button", name="Log ud overalt").click()
    phone.wait_for_url(f"{base}/**")

    tablet.goto(kiosk)
    expect(tablet.get_by_label("Adgangskode")).to_be_visible()  # the login, not the kiosk
    assert "/auth/login" in tablet.url
    tablet.context.clear_cookies()
    tablet.context.add_cookies(before)
    tablet.goto(f"{base}/home")
    assert "/auth/login" in tablet.url
    assert problems == [] and phone_problems == []
