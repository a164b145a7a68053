"""A new coordinator sets a network up on a tablet; an invitee accepts on a phone."""

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from netapp.extensions import db
from netapp.mail.outbox import deliver_due
from netapp.networks.models import Role
from tests import factories as f
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


def _login(page, base, email):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")


def test_set_up_invite_and_accept(live_app, page, browser, watch):
    with live_app.app_context():
        org = f.organisation(name="Demo-sekretariatet")
        first = f.network(org, name="Første netværk")
        f.member(first, Role.COORDINATOR, email="tove@example.com", name="Tove Tovholder",
                 language="da")
        db.session.remove()
    base = live_app.config["LIVE_URL"]
    _login(page, base, "tove@example.com")
    page.get_by_role("link", name="Start et netværk").click()
    page.get_by_label("Netværkets navn").fill("Klinikledere Nord")
    page.get_by_role("button", name="Start opsætningen").click()
    page.get_by_label("Formål").fill("Sparring på ledelse i private klinikker.")
    page.get_by_label("Sparring og erfaringsudveksling, fx som casearbejde").check()
    shoot(page, "networks-setup-1-tablet")
    page.get_by_role("button", name="Gem og fortsæt").click()
    page.get_by_label("Skal man arbejde i et bestemt geografisk område?").fill("Nordjylland")
    page.get_by_label("Flere faggrupper (tværfagligt)").check()
    page.get_by_role("button", name="Gem og fortsæt").click()
    page.get_by_label("Mindre netværk (8–20 deltagere)").check()
    page.get_by_label("Lukket netværk").check()
    shoot(page, "networks-setup-3-tablet")
    page.get_by_role("button", name="Tilbage").click()
    expect(page.get_by_label("Skal man arbejde i et bestemt geografisk område?")).to_have_value(
        "Nordjylland"
    )
    page.get_by_role("button", name="Gem og fortsæt").click()
    expect(page.get_by_label("Mindre netværk (8–20 deltagere)")).to_be_checked()
    page.get_by_role("button", name="Gem og fortsæt").click()
    page.get_by_label("Hver anden måned").check()
    page.get_by_role("button", name="Gem og fortsæt").click()
    page.get_by_label("Efter lukketid").check()
    page.get_by_role("button", name="Gem og afslut").click()
    expect(page.get_by_role("heading", name="Klinikledere Nord")).to_be_visible()
    expect(page.get_by_text("Hver anden måned")).to_be_visible()
    shoot(page, "networks-page-tablet")
    page.get_by_role("link", name="Invitér").first.click()
    page.get_by_label("E-mailadresser").fill("a@example.com, ikke-en-adresse\nb@example.com")
    page.get_by_role("button", name="Send invitationer").click()
    expect(page.get_by_text("ikke en gyldig e-mailadresse")).to_be_visible()
    shoot(page, "networks-invitations-tablet")
    page.get_by_role("link", name="Kontrakt").first.click()
    expect(page.get_by_text("Lægge telefonen væk")).to_be_visible()
    expect(page.get_by_text("Hver anden måned")).to_be_visible()  # taken from the set-up
    shoot(page, "networks-contract-tablet")

    # the invitation to a@example.com (the outbox also holds the new coordinator's notice);
    # the mail worker, without a mail server, writes each message as an .eml file
    with live_app.app_context():
        deliver_due()
    messages = [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
                for p in (Path(live_app.instance_path) / "outbox").glob("*.eml")]
    [message] = [m for m in messages if f.to(m) == "a@example.com"]
    link = re.search(r"http://\S+/networks/invitation/\S+", f.text_of(message)).group(0)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    phone = context.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Invitation til Klinikledere Nord")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "networks-accept-phone")
    phone.get_by_label("Dit navn").fill("Ane Andersen")
    phone.get_by_label("Vælg en adgangskode").fill("en lang nok kode")
    phone.get_by_label("Gentag adgangskoden").fill("en lang nok kode")
    phone.get_by_role("button", name="Opret konto og bliv medlem").click()
    expect(phone.get_by_role("heading", name="Klinikledere Nord")).to_be_visible()
    phone.get_by_role("link", name="Læs kontrakten").click()
    phone.get_by_role("button", name=re.compile("Jeg accepterer version")).click()
    expect(phone.get_by_text(re.compile("Du accepterede version"))).to_be_visible()
    shoot(phone, "networks-contract-phone")
    context.close()
