"""Mail like a careful sender, read back by Python's email package as a client would."""

from datetime import UTC
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import compat32
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from netapp import mail
from netapp.mail.outbox import deliver_due
from tests import factories as f
from tests.smtp import smtp_server

NAME = 'Åse "Bølle" Ærø, 🎉 Jensen\r\nBcc: x'
LONG = "Søren Ærø-Østergaard Kristiansen-Møllerhøj Johannessen"


def _queue_reset(app, user, link="https://netapp.test/auth/reset/a&b<i>", attachments=()):
    with app.test_request_context():
        mail.send_template(user, "auth/email/reset", attachments=attachments, link=link)


def _check_careful(message, frozen_now) -> None:
    to = message["To"].addresses[0]
    assert to.addr_spec == "aase@example.com"
    assert to.display_name == 'Åse "Bølle" Ærø, 🎉 Jensen Bcc: x'
    assert message.get_all("Bcc") is None and len(message["To"].addresses) == 1
    assert message["From"].addresses[0].display_name == "netapp"
    assert message["Subject"] == "Vælg en ny adgangskode til netapp"
    date = parsedate_to_datetime(message["Date"])
    assert not message["Date"].endswith("-0000") and date.utcoffset() is not None
    assert date == frozen_now.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Copenhagen"))
    assert message["Message-ID"].endswith("@netapp.test>")
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None and plain is not html
    assert "https://netapp.test/auth/reset/a&b<i>" in plain.get_content()
    page = html.get_content()
    assert 'href="https://netapp.test/auth/reset/a&amp;b"' in page and "&lt;i&gt;" in page
    assert "<i>" not in page and "<img" not in page and "<script" not in page
    assert 'name="viewport"' in page and 'style="' in page and 'lang="da"' in page


def test_a_mail_has_both_parts_and_headers_done_right(app, outbox, frozen_clock):
    user = f.user(email="aase@example.com", name=NAME, language="da")
    _queue_reset(app, user)
    [message] = outbox()
    assert message.get_content_type() == "multipart/alternative"
    _check_careful(message, frozen_clock.now)
    raw = bytes(mail.build("aase@example.com", "x\r\nBcc: evil@example.com", "y", name=NAME))
    assert b"\nBcc:" not in raw  # neither a name nor a subject ever breaks a header
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only: servers refuse bare LF


def test_a_long_name_is_folded_into_encoded_words_an_rfc_2047_reader_joins(app):
    """A name longer than a line is split into several encoded words. RFC 2047 readers
    (Thunderbird, email.header.decode_header) join them; Python's newer address parser
    puts a space between them, a known quirk of that parser, so the RFC reader decides."""
    with app.test_request_context():
        raw = bytes(mail.build("s@example.com", "Emne", "Tekst", name=LONG))
    header = message_from_bytes(raw, policy=compat32)["To"]
    assert "\n" in header and all(len(line) <= 78 for line in raw.split(b"\r\n"))
    assert str(make_header(decode_header(header))) == f"{LONG} <s@example.com>"


def test_an_attachments_parameters_reach_its_part(app, outbox, frozen_clock):
    user = f.user(email="aase@example.com", name=NAME, language="da")
    ics = ("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
           "text/calendar; charset=utf-8; method=REQUEST")
    _queue_reset(app, user, attachments=[ics])
    [message] = outbox()
    assert message.get_content_type() == "multipart/mixed"
    _check_careful(message, frozen_clock.now)
    [part] = message.iter_attachments()
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST" and part.get_param("charset") == "utf-8"
    assert part.get_filename() == "meeting.ics"
    assert part.get_payload(decode=True) == ics[1]


@pytest.mark.own_app
def test_what_the_server_receives_is_the_same_careful_mail(app, frozen_clock):
    with smtp_server() as (port, mailbox):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        user = f.user(email="aase@example.com", name=NAME, language="da")
        _queue_reset(app, user)
        assert deliver_due().sent == 1
    [message] = mailbox.messages()
    assert mailbox.recipients() == ["aase@example.com"]
    _check_careful(message, frozen_clock.now)


@pytest.mark.own_app
def test_the_reset_mail_is_queued_by_the_request_and_sent_by_the_worker(app, client):
    with smtp_server() as (port, mailbox):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        f.user(email="smtp@example.com", language="nb")
        client.post("/auth/forgot", data={"email": "smtp@example.com"}).close()
        assert mailbox.received == []  # nothing leaves inside the request
        result = app.test_cli_runner().invoke(args=["send-mail"])
        assert result.exit_code == 0 and "Sent 1" in result.output, result.output
    [message] = mailbox.messages()
    assert f.to(message) == "smtp@example.com"
    assert message["Subject"] == "Velg et nytt passord for netapp"
    assert "/auth/reset/" in f.text_of(message)


def test_without_server_the_worker_writes_eml_files(app):
    user = f.user(email="x@example.com", language="da")
    _queue_reset(app, user)
    assert deliver_due().sent == 1
    from pathlib import Path

    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    assert path.name == "00000001.eml"
    assert deliver_due().sent == 0  # written once
