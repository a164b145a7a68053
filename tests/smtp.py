"""A real SMTP server on loopback (aiosmtpd) that can refuse addresses or be down."""

import threading
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.ports import free_port


class Mailbox:
    """What the server accepted; `refuse` holds addresses answered 550 at RCPT,
    `busy` makes every DATA answer 451 (a server that is there but not accepting)."""

    def __init__(self):
        self.refuse: set[str] = set()
        self.busy = False
        self.received: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.busy:
            return "451 4.3.0 Try again later"
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def messages(self):
        """The accepted messages, parsed as a mail client would."""
        return [message_from_bytes(raw, policy=policy.default) for _to, raw in self.received]

    def recipients(self) -> list[str]:
        return sorted(address for to, _raw in self.received for address in to)


@contextmanager
def smtp_server(mailbox: Mailbox | None = None, port: int | None = None):
    """Serve `mailbox` on 127.0.0.1 (a free port unless given) until the block ends."""
    mailbox = mailbox or Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()
