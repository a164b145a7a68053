"""The mailer talks real SMTP when a server is set (aiosmtpd on loopback)."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from netapp import mail
from tests import factories as f


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.mark.own_app
def test_reset_mail_goes_over_smtp(app, client, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    f.user(email="smtp@example.com", language="nb")
    client.post("/auth/forgot", data={"email": "smtp@example.com"}).close()  # sent on close
    [message] = inbox.messages
    assert message["To"] == "smtp@example.com"
    assert message["Subject"] == "Velg et nytt passord for netapp"
    assert "/auth/reset/" in message.get_payload(decode=True).decode()


def test_without_server_mail_lands_in_the_outbox(app, outbox):
    with app.test_request_context():
        mail.send(
            mail.build(
                "x@example.com", "Emne", "Brødtekst æøå", [("a.ics", b"BEGIN", "text/calendar")]
            )
        )
    [message] = outbox()
    assert message["Subject"] == "Emne"
    assert "Brødtekst æøå" in message.get_body().get_content()
    assert [p.get_filename() for p in message.iter_attachments()] == ["a.ics"]
