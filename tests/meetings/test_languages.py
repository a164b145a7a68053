"""One way of writing a day per language, a network's own time zone, plain settings."""

import re
from datetime import datetime

import pytest

from netapp.extensions import db
from netapp.networks.models import Network, Role
from tests import factories as f

# 12:00 UTC on Tuesday 15 December 2026 is 13:00 in Copenhagen and in Oslo.
STARTS = datetime(2026, 12, 15, 12, 0)
DAY = {"da": "tirsdag 15. december 2026, 13:00", "nb": "tirsdag 15. desember 2026, 13:00",
       "en": "Tuesday 15 December 2026, 13:00"}
SHORT = {"da": "15. dec. 2026, 13:00", "nb": "15. des. 2026, 13:00", "en": "15 Dec 2026, 13:00"}


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_a_meeting_is_written_one_way_in_each_language(client, login_as, frozen_clock,
                                                       language):
    """The meeting page and the live page write the day the same way: never the American
    "Dec 15, 2026, 1:00:00 PM" beside "Tuesday 15. December"."""
    net = f.network(f.organisation())
    member = f.member(net, Role.FACILITATOR, language=language)
    meeting = f.meeting(net, starts_at=STARTS)
    login_as(member)
    page = client.get(f"/meetings/{meeting.id}").text
    assert DAY[language] in page
    live = client.get(f"/live/meeting/{meeting.id}").text
    assert SHORT[language] in live
    # The words a reader sees: the markup holds random tokens (CSP nonce, CSRF token) in
    # which two letters like "PM" turn up by chance.
    seen = [re.sub(r"<[^>]*>", " ", html) for html in (page, live)]
    for american in ("Dec 15", "PM", "15. December", "1:00:00"):
        assert all(re.search(rf"\b{re.escape(american)}\b", text) is None for text in seen)


def test_a_norwegian_network_keeps_its_meetings_in_norwegian_time(client, login_as):
    """The coordinator sets the zone in the settings (no server command shown there); the
    meeting form's hint names that zone in the reader's language."""
    net = f.network(f.organisation())
    coordinator = f.member(net, Role.COORDINATOR, language="nb")
    login_as(coordinator)
    settings = client.get(f"/meetings/network/{net.id}/settings")
    assert settings.status_code == 200 and "flask" not in settings.text
    assert "send-reminders" not in settings.text
    saved = client.post(f"/meetings/network/{net.id}/settings", data={
        "timezone": "Europe/Oslo", "reminder_days_before": 3, "answer_deadline_days": 7,
        "lunch_budget": 3500})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Network, net.id).timezone == "Europe/Oslo"
    form = client.get(f"/meetings/network/{net.id}/new").text
    assert "tidssone for Norge" in form and "Europe/Copenhagen" not in form
    refused = client.post(f"/meetings/network/{net.id}/settings", data={
        "timezone": "Mars/Olympus", "reminder_days_before": 3, "answer_deadline_days": 7,
        "lunch_budget": 3500})
    assert refused.status_code == 200 and "Velg et av alternativene." in refused.text
    db.session.expire_all()
    assert db.session.get(Network, net.id).timezone == "Europe/Oslo"
