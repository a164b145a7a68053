"""Language and time zone of a request: the profile, else ?lang=, else the browser."""

from datetime import UTC, datetime

from babel import dates, numbers
from flask import current_app, g, request, session
from flask_babel import get_locale, get_timezone, get_translations
from flask_login import current_user

LANGUAGE_NAMES = {"da": "Dansk", "nb": "Norsk (bokmål)", "en": "English"}


def select_locale() -> str:
    """The user's profile language, else a ?lang= choice kept in the session, else the browser."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def select_timezone() -> str:
    """Meetings happen in Denmark and Norway; one zone serves both today."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _reading() -> tuple:
    """(locale, catalog, time zone) of the request, looked up once per request and locale.

    Flask-Babel looks them up again for every string, date and number (about 20 µs each)
    and a page shows a hundred or more; force_locale (an e-mail in its recipient's
    language) and refresh (a new profile language) change the locale, and this follows.
    """
    here = g._get_current_object()
    # Flask-Babel keeps the request's locale as g._flask_babel.babel_locale; a new object
    # there (force_locale, refresh) means another reading.
    locale = getattr(here.__dict__.get("_flask_babel"), "babel_locale", None)
    cached = here.__dict__.get("_reading")
    if locale is None or cached is None or cached[0] is not locale:
        cached = here._reading = (get_locale(), get_translations(), get_timezone())
    return cached


def catalog():
    """The translations of the locale in force."""
    return _reading()[1]


def format_date(value, format: str = "medium") -> str:
    """A date (a datetime in UTC is moved into the reader's time zone first)."""
    locale, _catalog, zone = _reading()
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    return dates.format_date(value, format, locale=locale)


def format_datetime(value: datetime, format: str = "medium") -> str:
    """A UTC datetime in the reader's time zone and language."""
    locale, _catalog, zone = _reading()
    return dates.format_datetime(value, format, tzinfo=zone, locale=locale)


def format_decimal(number, format: str | None = None) -> str:
    """A number in the reader's language."""
    return numbers.format_decimal(number, format=format, locale=_reading()[0])


def init_app(app) -> None:
    """Give templates _() and the formatters on the request's reading, and the languages."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # _() is Jinja's alias that looks gettext up again on every call; netapp never passes
    # its own gettext to a template, so _ is gettext itself: one call less per string.
    app.jinja_env.globals.update(
        _=app.jinja_env.globals["gettext"],
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        get_locale=get_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
