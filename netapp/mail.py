"""The mailer: SMTP when NETAPP_MAIL_SERVER is set, else .eml files in instance/outbox/."""

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import after_this_request, current_app, render_template
from flask_babel import force_locale

from netapp.hygiene import one_line, without_control


def build(to: str, subject: str, body: str, attachments=()) -> EmailMessage:
    """A plain-text message with optional (filename, bytes, "type/subtype; param=value")
    attachments."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_SENDER"]
    # A header never holds a line break, whatever a stored name holds: a CR/LF would make
    # the message unbuildable (or add headers), so every mail of that network would fail.
    msg["To"] = one_line(to)
    msg["Subject"] = one_line(subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="netapp")
    msg.set_content(without_control(body, multiline=True))
    for filename, content, mimetype in attachments:
        # "text/calendar; charset=utf-8; method=REQUEST": the parameters go on the part's
        # Content-Type, where calendar clients look for the iTIP method.
        kind, *params = (part.strip() for part in mimetype.split(";"))
        maintype, subtype = kind.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype,
                           filename=one_line(filename),
                           params=dict(p.split("=", 1) for p in params if "=" in p))
    return msg


def send(msg: EmailMessage) -> None:
    """Deliver one message through the configured transport."""
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=20) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(msg)
    else:
        outbox = Path(current_app.instance_path) / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(bytes(msg))
        current_app.logger.info("mail to outbox: %s", path.name)


def send_template(user, template: str, attachments=(), **context) -> EmailMessage:
    """Render templates/<template>_subject.txt and <template>.txt in the user's language."""
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_template(f"{template}_subject.txt", user=user, **context).strip()
        body = render_template(f"{template}.txt", user=user, **context)
    msg = build(user.email, subject, body, attachments)
    send(msg)
    return msg


def send_after_response(mailer, *args, **kwargs) -> None:
    """Run a mailer once the response has gone out, so its time tells the client nothing.

    The WSGI server calls response.close() after the last byte; the mailer then runs in an
    app context of its own, outside the request, and a failure is logged, not shown.
    """
    app = current_app._get_current_object()

    def deliver() -> None:
        with app.app_context():
            try:
                mailer(*args, **kwargs)
            except Exception:  # an SMTP failure must not surface anywhere else
                app.logger.exception("mail after the response failed")

    @after_this_request
    def schedule(response):
        if response.status_code < 400:  # a failed request stored nothing the mail could link to
            response.call_on_close(deliver)
        return response
