"""Absolute links for e-mails, calendar files, QR codes and addresses shown to copy.

Every one is built from PUBLIC_URL, never from the request: a forged Host or
X-Forwarded-Host must not decide where a reset, invitation or answer link points.
Requests for any other host than PUBLIC_URL's (plus EXTRA_HOSTS and loopback) are
refused with 400 by Flask's TRUSTED_HOSTS.
"""

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError

# Loopback names are always accepted: `make run`, and health checks on the machine itself.
# Nothing is built from a request's host, so accepting them points no link anywhere.
LOOPBACK = ("localhost", "127.0.0.1")


class PublicUrlMissing(SystemExit):
    """Raised at start-up: a one-line message naming the setting, never a traceback."""


def tel_href(phone: str) -> str:
    """A phone number as a tel: link takes it (RFC 3966): a leading + and the digits,
    without the spaces, dots and brackets people type ("+45 20 00 00 00")."""
    digits = "".join(ch for ch in phone if ch.isdigit() and ch.isascii())
    return ("+" + digits) if phone.strip().startswith("+") else digits


def public_url_for(endpoint: str, **values) -> str:
    """The absolute address of an endpoint under PUBLIC_URL, whatever the request says."""
    app = current_app
    base = urlsplit(app.config["PUBLIC_URL"])
    adapter = app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def resolve_public_url(app) -> str:
    """PUBLIC_URL checked; unset, it comes from SERVER_NAME, or in tests and debug from
    the local address. A production start without it stops with one line."""
    url = app.config.get("PUBLIC_URL")
    if not url and app.config.get("SERVER_NAME"):
        url = f"{app.config['PREFERRED_URL_SCHEME']}://{app.config['SERVER_NAME']}"
    if not url and (app.testing or app.debug):
        url = "http://127.0.0.1:5000"
    if not url:
        raise PublicUrlMissing(
            "netapp: set NETAPP_PUBLIC_URL to the address members open, "
            "e.g. https://netapp.example.dk (links in e-mails are built from it)"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicUrlMissing(f"netapp: NETAPP_PUBLIC_URL is not an http(s) address: {url!r}")
    return url.rstrip("/")


def trusted_hosts(app) -> list[str]:
    """PUBLIC_URL's host, the EXTRA_HOSTS list and loopback."""
    extra = app.config.get("EXTRA_HOSTS") or []
    if isinstance(extra, str):
        extra = [h.strip() for h in extra.split(",")]
    hosts = [urlsplit(app.config["PUBLIC_URL"]).hostname, *extra, *LOOPBACK]
    return list(dict.fromkeys(h.lower() for h in hosts if h))


def refuse_host(e: SecurityError):
    """An unknown Host: a plain 400, since no URL can be built for such a request."""
    return _("This address is not served here."), 400, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app) -> None:
    """Fix PUBLIC_URL, refuse other hosts, offer public_url_for to templates."""
    app.config["PUBLIC_URL"] = resolve_public_url(app)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app)
    app.register_error_handler(SecurityError, refuse_host)
    app.jinja_env.globals["public_url_for"] = public_url_for
    app.jinja_env.filters["tel"] = tel_href
