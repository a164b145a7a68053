"""Language and time zone of a request: the profile, else ?lang=, else the browser."""

from flask import current_app, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
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


def init_app(app) -> None:
    """Give templates the locale-aware formatters and the language list."""
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        get_locale=get_locale,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
