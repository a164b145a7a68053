"""Language and time zone of a request: the profile, else ?lang=, else the browser."""

from flask import current_app, g, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations
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


def catalog():
    """The translations of the locale in force, looked up once per request and locale.

    Flask-Babel looks the catalog up again for every string (about 20 µs each) and a page
    shows a hundred or more; force_locale (an e-mail in its recipient's language) and
    refresh (a new profile language) change the locale, and the cache follows it.
    """
    locale = get_locale()
    cached = g.get("_catalog")
    if cached is None or cached[0] != locale:
        cached = g._catalog = (locale, get_translations())
    return cached[1]


def init_app(app) -> None:
    """Give templates the locale-aware formatters, the language list, and _() on the
    request's catalog."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        get_locale=get_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
