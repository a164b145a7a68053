"""The gettext cache in netapp/i18n.py reads a private Flask-Babel attribute: these tests
fail loudly the day Flask-Babel is upgraded or that attribute stops meaning what it did."""

import re
from importlib.metadata import version
from pathlib import Path

from flask import g
from flask_babel import force_locale, get_locale, refresh

from netapp import i18n

ROOT = Path(__file__).resolve().parent.parent


def _locked(name: str) -> str:
    found = re.search(rf"^{name}==(\S+)", (ROOT / "requirements.lock").read_text(), re.M)
    assert found, f"{name} is not pinned in requirements.lock"
    return found.group(1)


def test_flask_babel_is_the_version_the_cache_was_checked_against():
    """Upgrading Flask-Babel means re-checking _babel_locale, then FLASK_BABEL_CHECKED."""
    assert _locked("flask-babel") == i18n.FLASK_BABEL_CHECKED, (
        "requirements.lock pins another Flask-Babel than netapp/i18n.py was checked against: "
        "check that g._flask_babel.babel_locale still holds the request's locale, then update "
        "FLASK_BABEL_CHECKED"
    )
    assert version("flask-babel") == i18n.FLASK_BABEL_CHECKED, (
        "the installed Flask-Babel is not the locked one: install from requirements-test.lock"
    )


def test_the_private_locale_is_the_one_get_locale_returns(app):
    """The cache's signal: the same object as get_locale(), a new one when the locale moves."""
    with app.test_request_context("/?lang=da"):
        assert i18n._babel_locale(g) is None  # nothing settled before the first look-up
        danish = get_locale()
        assert i18n._babel_locale(g) is danish and str(danish) == "da"
        with force_locale("nb"):
            assert i18n._babel_locale(g) is get_locale()
            assert str(i18n._babel_locale(g)) == "nb"
        assert i18n._babel_locale(g) is get_locale()
        assert str(i18n._babel_locale(g)) == "da"
        refresh()
        assert i18n._babel_locale(g) is None  # refresh() forgets it: the cache reads again


def test_the_cached_reading_follows_the_locale(app):
    """Within one request the catalog changes with force_locale and back."""
    with app.test_request_context("/?lang=da"):
        assert i18n.catalog().ugettext("Log out") == "Log ud"
        with force_locale("nb"):
            assert i18n.catalog().ugettext("Log out") == "Logg ut"
        assert i18n.catalog().ugettext("Log out") == "Log ud"
