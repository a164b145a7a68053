"""Language and time zone of a request: the profile, else ?lang=, else the browser."""

from datetime import UTC, datetime

from babel import dates, numbers
from flask import current_app, g, request, session
from flask_babel import get_locale, get_timezone, get_translations, refresh
from flask_login import current_user

LANGUAGE_NAMES = {"da": "Dansk", "nb": "Norsk (bokmål)", "en": "English"}


# The language of whoever just logged out on this browser: the page after the logout and
# the login page stay in it (not the browser's), yet the next person's login never adopts
# it into their profile as it would a choice made on the login page.
LANGUAGE_AT_LOGOUT = "language_at_logout"


def select_locale() -> str:
    """The user's profile language, else a ?lang= choice kept in the session, else the
    language of the user who logged out last on this browser, else the browser's."""
    profile = current_user.language if current_user and current_user.is_authenticated else None
    return locale_for(profile)


def locale_for(profile_language: str | None) -> str:
    """select_locale's choice for a reader whose profile names `profile_language` (None when
    nobody is logged in): for requests answered before the user is loaded."""
    languages = current_app.config["LANGUAGES"]
    if profile_language in languages:
        return profile_language
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
    if session.get("lang") in languages:
        return session["lang"]
    if session.get(LANGUAGE_AT_LOGOUT) in languages:
        return session[LANGUAGE_AT_LOGOUT]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def choose_language(language: str) -> None:
    """The header's switch: the profile's language when logged in, else this browser's."""
    if current_user and current_user.is_authenticated:
        current_user.language = language  # not the browser's: the next person on a tablet
    else:                                 # logs in to their own language
        session["lang"] = language
    refresh()


def keep_language_after_logout(language: str) -> None:
    """Call right after logout_user: the rest of this request (its flash) and the pages
    after it speak the language the user had, not the browser's."""
    session[LANGUAGE_AT_LOGOUT] = language
    refresh()


def adopt_chosen_language(user) -> bool:
    """At login, a language chosen on the login page becomes the profile's (True when that
    changes it, so the login can say so) rather than being silently overridden by it."""
    session.pop(LANGUAGE_AT_LOGOUT, None)
    chosen = session.pop("lang", None)
    if chosen not in current_app.config["LANGUAGES"] or chosen == user.language:
        return False
    user.language = chosen
    refresh()
    return True


def select_timezone() -> str:
    """Meetings happen in Denmark and Norway; one zone serves both today."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


# --- Performance trick: the request's reading, cached (the only one of its kind here) -------
# Flask-Babel's get_locale(), get_translations() and get_timezone() together cost about
# 20 µs per string, date or number (measured in a request on this machine: 19.9 µs),
# and a page shows a hundred or more; the cached reading below costs about 0.5 µs. With
# it a logged-in page that renders only base.html and its text went from 6.8 to 5.8
# million instructions per request (callgrind; bench/RESULTS.md, "What the last two
# rounds changed").
#
# To notice force_locale (an e-mail in its recipient's language) and refresh() (a new
# profile language) it reads the locale Flask-Babel keeps at g._flask_babel.babel_locale,
# a private attribute: the public get_locale() returns the same object but costs 3.1 µs
# against 0.4 µs (its LocalProxy look-ups), as much as the strings themselves. The
# version of Flask-Babel is pinned in requirements.lock, and tests/test_i18n_cache.py
# fails loudly when the pinned version or that attribute's behaviour changes.
FLASK_BABEL_CHECKED = "4.0.0"


def _babel_locale(here):
    """The locale Flask-Babel has settled on for this request, or None before it has."""
    return getattr(here.__dict__.get("_flask_babel"), "babel_locale", None)


def _reading() -> tuple:
    """(locale, catalog, time zone) of the request, looked up once per request and locale."""
    here = g._get_current_object()
    # A new locale object (force_locale, refresh) means another reading.
    locale = _babel_locale(here)
    cached = here.__dict__.get("_reading")
    if locale is None or cached is None or cached[0] is not locale:
        cached = here._reading = (get_locale(), get_translations(), get_timezone())
    return cached


# --- End of the performance trick --------------------------------------------------------


def catalog():
    """The translations of the locale in force."""
    return _reading()[1]


# One way of writing a day per language, on every page and in every e-mail: "fredag 12.
# marts 2026", "fredag 12. mars 2026", "Friday 12 March 2026" (CLDR's English is American,
# "Friday, March 12, 2026", beside a Danish-style "Tuesday 15. December"). The standard
# names full/long/medium/short stand for these; any other pattern is used as it is.
DATE_PATTERNS = {
    "da": {"full": "EEEE d. MMMM y", "long": "d. MMMM y", "medium": "d. MMM y",
           "short": "dd.MM.y"},
    "nb": {"full": "EEEE d. MMMM y", "long": "d. MMMM y", "medium": "d. MMM y",
           "short": "dd.MM.y"},
    "en": {"full": "EEEE d MMMM y", "long": "d MMMM y", "medium": "d MMM y",
           "short": "dd/MM/y"},
}
TIME_PATTERN = "HH:mm"


def date_pattern(format: str, locale) -> str:
    """netapp's pattern for a standard format name in the locale's language."""
    return DATE_PATTERNS.get(str(locale)[:2], DATE_PATTERNS["en"]).get(format, format)


def datetime_pattern(format: str, locale) -> str:
    """The day as date_pattern writes it, then the time on the 24-hour clock."""
    if format in DATE_PATTERNS["en"]:
        return f"{date_pattern(format, locale)}, {TIME_PATTERN}"
    return format


def format_date(value, format: str = "medium") -> str:
    """A date (a datetime in UTC is moved into the reader's time zone first)."""
    locale, _catalog, zone = _reading()
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    return dates.format_date(value, date_pattern(format, locale), locale=locale)


def format_datetime(value: datetime, format: str = "medium") -> str:
    """A UTC datetime in the reader's time zone and language."""
    locale, _catalog, zone = _reading()
    return dates.format_datetime(value, datetime_pattern(format, locale), tzinfo=zone,
                                 locale=locale)


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
