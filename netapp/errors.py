"""Friendly error pages in the user's language; never a traceback."""

import sqlalchemy as sa
from flask import current_app, g, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape

from netapp import stale_forms
from netapp.extensions import db
from netapp.htmx import is_htmx

MESSAGES = {
    400: lambda: _("The request could not be understood. Go back and try again."),
    403: lambda: _("You do not have access to this page."),
    404: lambda: _("We could not find that page. It may have been moved or deleted."),
    405: lambda: _("That action is not possible here."),
    413: lambda: _("What you sent is too large. Shorten it and try again."),
    500: lambda: _("Something went wrong on our side. Try again in a moment."),
    503: lambda: _("The database is not answering. Nothing was saved. Wait a moment and "
                   "try again."),
}

# The database is down, hung past its timeouts, or its pool is exhausted: a page can only
# say so, and must be rendered without asking the database anything.
DATABASE_DOWN = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
RETRY_AFTER = "5"


def _page(code: int, message):
    """The error page (message: a callable giving the text), after a rollback.

    A statement that failed (a PostgreSQL transaction is then aborted) would make every
    later query of the page fail too: the user loaded for the locale, the name in the
    header. If the page still cannot be rendered (the database is gone), a bare page in
    the default language says it.
    """
    _rollback()
    template = "errors/_message.html" if is_htmx() else "errors/error.html"
    try:
        return render_template(template, code=code, message=message()), code
    except Exception as exc:  # the error page must not fail: the plain message is the last resort
        current_app.logger.warning("error page %s could not be rendered: %s: %s", code,
                                   type(exc).__name__, _first_line(exc))
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            text = escape(message())
        return f"<!doctype html><title>{code}</title><p>{text}</p>", code


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception as exc:  # a dead connection: the next query gets a new session
        current_app.logger.warning("rollback before the error page failed: %s: %s",
                                   type(exc).__name__, _first_line(exc))
        db.session.remove()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def unavailable(e: Exception) -> bool:
    """Whether a database error means the database cannot be used now (down, hung past a
    timeout, locked, pool exhausted), not a fault of the statement (SQLite reports a missing
    table as an OperationalError too)."""
    if isinstance(e, sa.exc.TimeoutError | sa.exc.InterfaceError):
        return True
    if getattr(e, "connection_invalidated", False):
        return True
    orig = getattr(e, "orig", None)
    if type(orig).__module__.startswith("sqlite3"):
        text = str(orig).lower()
        return any(word in text for word in ("locked", "busy", "unable to open", "disk i/o"))
    return True  # psycopg's OperationalError: the connection, a timeout, a cancelled wait


def _database_down(e):
    """503 in the user's language, rendered without the database: the user who was loaded
    (if any) is set aside before anything would refresh it, so the page shows no name."""
    from netapp.logs import log_failed_request

    if not unavailable(e):
        log_failed_request(current_app.logger, e, 500)
        return _page(500, MESSAGES[500])
    log_failed_request(current_app.logger, e, 503)
    user = g.get("_login_user")
    language = getattr(user, "__dict__", {}).get("language")  # already loaded, or None
    g._login_user = current_app.login_manager.anonymous_user()
    languages = current_app.config["LANGUAGES"]
    if language in languages:
        with force_locale(language):
            body, code = _page(503, MESSAGES[503])
    else:
        body, code = _page(503, MESSAGES[503])
    return body, code, {"Retry-After": RETRY_AFTER}


def _denied(e):
    """Log denied access (who, where; never content), then answer politely."""
    _rollback()
    user = getattr(current_user, "id", None)
    current_app.logger.warning("access denied user=%s %s %s", user, request.method, request.path)
    return _page(403, MESSAGES[403])


def init_app(app) -> None:
    """Register a handler per status code, and one for a missing or stale CSRF token."""
    for code, message in MESSAGES.items():
        app.register_error_handler(code, lambda e, c=code, m=message: _page(c, m))
    app.register_error_handler(403, _denied)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, _database_down)

    stale_forms.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        """A form without a valid token: shown again with what was typed and a fresh token
        when it came from a page of this site (netapp.stale_forms), else said plainly."""
        again = stale_forms.shown_again(e)
        if again is not None:
            return again
        return _page(
            400,
            lambda: _("The form had expired. Go back, reload the page and send it again."),
        )
