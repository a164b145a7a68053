"""The mailer: every e-mail is built here and queued in the outbox table.

`send_template` renders a message in the recipient's language and adds it to the
database session; the caller's commit stores the change and its mail together (or,
rolled back, neither). `flask send-mail` (netapp.mail.outbox) delivers what is queued:
over SMTP when NETAPP_MAIL_SERVER is set, else as .eml files in instance/outbox/.
No SMTP conversation ever happens inside a web request.
"""

import re
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from jinja2 import TemplateNotFound

from netapp.extensions import db
from netapp.hygiene import one_line, without_control

# CRLF line ends (servers refuse bare LF) and only 7-bit data: non-ASCII text goes out
# quoted-printable or base64, so no server's lack of 8BITMIME can garble it.
POLICY = policy.SMTP.clone(cte_type="7bit")

# Links in a plain-text body become links in the HTML part (http and https only).
_URL = re.compile(r"https?://[^\s<>\"']+")


def address(addr: str, name: str = "") -> Address | str:
    """A To/From value: the display name encoded by the email package (quotes, commas,
    æøå and emoji come out as RFC 2047 words), never a line break in either half."""
    addr, name = one_line(addr or ""), one_line(name or "")
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError):  # not a plain addr-spec: the bare, one-line text
        return addr


def sender() -> Address | str:
    """MAIL_SENDER ("netapp <noreply@example.dk>") as an address with its name."""
    name, addr = parseaddr(one_line(current_app.config["MAIL_SENDER"]))
    return address(addr, name)


def message_domain() -> str:
    """The installation's own host, so Message-IDs are unique to it (PUBLIC_URL)."""
    url = current_app.config.get("PUBLIC_URL") or ""
    return urlsplit(url).hostname or "netapp.invalid"


def _now_with_zone() -> datetime:
    from netapp.auth.models import utcnow

    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    return utcnow().replace(tzinfo=UTC).astimezone(zone)


def _content_type(mimetype: str) -> tuple[str, str, dict[str, str]]:
    """("text", "calendar", {"charset": "utf-8", "method": "REQUEST"}) from
    "text/calendar; charset=utf-8; method=REQUEST"."""
    kind, *parameters = (part.strip() for part in one_line(mimetype).split(";"))
    maintype, _slash, subtype = kind.partition("/")
    params = {}
    for parameter in parameters:
        key, _eq, value = parameter.partition("=")
        if key.strip() and value.strip():
            params[key.strip().lower()] = value.strip().strip('"')
    return maintype.lower() or "application", subtype.lower() or "octet-stream", params


def build(to: str, subject: str, body: str, attachments=(), *, name: str = "",
          html: str | None = None, calendar: tuple[bytes | str, str] | None = None,
          auto_submitted: bool = False) -> EmailMessage:
    """A message with a plain-text part, an HTML alternative when given, and optional
    (filename, bytes, mimetype) attachments; the mimetype may carry parameters.

    `calendar` (iCalendar data, its iTIP method) becomes a third alternative,
    text/calendar; method=..., beside the text and the HTML (RFC 6047): that inline part
    is what gives Outlook, Gmail and Apple Mail their accept/decline bar; a calendar
    sent only as an attachment is shown as a file."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender()
    # A header never holds a line break, whatever a stored name holds: a CR/LF would make
    # the message unbuildable (or add headers), so every mail of that network would fail.
    msg["To"] = address(to, name)
    msg["Subject"] = one_line(subject)
    msg["Date"] = format_datetime(_now_with_zone())
    msg["Message-ID"] = make_msgid(domain=message_domain())
    if auto_submitted:  # RFC 3834: no vacation replies to a machine's reminder
        msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(without_control(body, multiline=True))
    if html is not None:
        msg.add_alternative(without_control(html, multiline=True), subtype="html")
    if calendar is not None:
        data, method = calendar
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        msg.add_alternative(text, subtype="calendar",
                            params={"method": one_line(method).upper()})
    for filename, content, mimetype in attachments:
        maintype, subtype, params = _content_type(mimetype)
        if isinstance(content, str):
            content = content.encode("utf-8")
        msg.add_attachment(content, maintype=maintype, subtype=subtype,
                           filename=one_line(filename), params=params)
    return msg


def paragraphs(text: str) -> list[list[list[tuple[str, str | None]]]]:
    """A plain-text body as paragraphs of lines of (text, link) pieces, for the HTML
    template to escape: web addresses become links, nothing else is markup."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.strip("\n").split("\n"):
            pieces, last = [], 0
            for match in _URL.finditer(line):
                url = match.group(0).rstrip(".,;:)")
                pieces += [(line[last:match.start()], None), (url, url)]
                last = match.start() + len(url)
            pieces.append((line[last:], None))
            lines.append([(piece, link) for piece, link in pieces if piece])
        out.append(lines)
    return out


def render_html(template: str, subject: str, body: str, **context) -> str:
    """templates/<template>.html when there is one, else the body in the common layout."""
    try:
        return render_template(f"{template}.html", subject=subject, body=body, **context)
    except TemplateNotFound:
        return render_template("mail/message.html", subject=subject,
                               content=paragraphs(body), lang=str(get_locale() or "da"))


def enqueue(msg: EmailMessage, *, user_id: int | None = None, topic: str | None = None):
    """Add the message to the outbox in the current transaction (no commit here: the
    caller's commit stores the change and its mail together)."""
    from netapp.mail.models import OutgoingMail

    row = OutgoingMail(
        recipient=msg["To"].addresses[0].addr_spec if msg["To"].addresses else str(msg["To"]),
        user_id=user_id, topic=topic, message=bytes(msg),
    )
    db.session.add(row)
    return row


def compose(user, template: str, attachments=(), *, auto_submitted: bool = False,
            calendar: tuple[bytes | str, str] | None = None, **context) -> EmailMessage:
    """Render templates/<template>_subject.txt, <template>.txt (and the HTML part) in the
    user's language into a message; `user` needs email, name and language."""
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = one_line(render_template(f"{template}_subject.txt", user=user, **context))
        body = render_template(f"{template}.txt", user=user, **context)
        html = render_html(template, subject, body, user=user, **context)
    return build(user.email, subject, body, attachments, name=getattr(user, "name", "") or "",
                 html=html, calendar=calendar, auto_submitted=auto_submitted)


def send_template(user, template: str, attachments=(), *, topic: str | None = None,
                  auto_submitted: bool = False, calendar: tuple[bytes | str, str] | None = None,
                  **context) -> EmailMessage:
    """Compose the message and queue it (the user's id, when it is a User, goes with it);
    `calendar` is (iCalendar data, method) for the inline invitation part (see build)."""
    msg = compose(user, template, attachments, auto_submitted=auto_submitted,
                  calendar=calendar, **context)
    user_id = getattr(user, "id", None)
    enqueue(msg, user_id=user_id if isinstance(user_id, int) else None, topic=topic)
    return msg


def write_file(msg: EmailMessage | bytes, name: str) -> Path:
    """The transport without a mail server: instance/outbox/<name>.eml."""
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{name}.eml"
    path.write_bytes(msg if isinstance(msg, bytes) else bytes(msg))
    current_app.logger.info("mail to outbox: %s", path.name)
    return path


def send(msg: EmailMessage) -> None:
    """Deliver one built message at once, outside the outbox (the worker uses
    netapp.mail.outbox.Transport); for commands and tests."""
    from netapp.mail.outbox import Transport

    with Transport(current_app) as transport:
        transport.deliver(bytes(msg), str(msg["To"].addresses[0].addr_spec), name=None)


def init_app(app) -> None:
    """With MAIL_FILES_AFTER_REQUEST (and no mail server), write what a request queued to
    instance/outbox/ once its response has gone out, in an app context of its own."""
    if not app.config.get("MAIL_FILES_AFTER_REQUEST") or app.config.get("MAIL_SERVER"):
        return

    def write_queued() -> None:
        from netapp.mail.outbox import deliver_due

        with app.app_context():
            try:
                deliver_due()
            except Exception:  # a dev convenience must never break a page
                app.logger.exception("writing the outbox files failed")

    @app.after_request
    def schedule(response):
        response.call_on_close(write_queued)
        return response


def delivery_state(status: str) -> str:
    """What the coordinator is told: "sent", "waiting" (queued, being sent or retrying)
    or "failed" (given up on)."""
    from netapp.mail.models import FAILED, SENT

    return status if status in (SENT, FAILED) else "waiting"


def delivery_by_topic(topics: list[str]) -> dict[str, str]:
    """Per topic, the state of its latest mail (a mail sent again replaces the earlier)."""
    from netapp.mail.models import OutgoingMail

    if not topics:
        return {}
    rows = db.session.execute(
        sa.select(OutgoingMail.topic, OutgoingMail.status)
        .where(OutgoingMail.topic.in_(topics))
        .order_by(OutgoingMail.id)
    )
    return {topic: delivery_state(status) for topic, status in rows}


def delivery_by_user(topic: str) -> dict[int, str]:
    """Per recipient's user id, the state of their latest mail on one topic."""
    from netapp.mail.models import OutgoingMail

    rows = db.session.execute(
        sa.select(OutgoingMail.user_id, OutgoingMail.status)
        .where(OutgoingMail.topic == topic, OutgoingMail.user_id.is_not(None))
        .order_by(OutgoingMail.id)
    )
    return {user_id: delivery_state(status) for user_id, status in rows}
