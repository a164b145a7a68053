"""Every user-facing string is in the catalogs, and translated into Danish and Norwegian."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from netapp import i18n_tools

METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
CATALOGS = list(i18n_tools.sources().items())


def _ids_in(paths: list[Path]) -> set[str]:
    ids = set()
    for path in paths:
        found = (
            extract_from_dir(str(path), METHODS, keywords=KEYWORDS)
            if path.is_dir()
            else (
                (str(path), *m)
                for m in extract_from_file(
                    "python" if path.suffix == ".py" else "jinja2", str(path), keywords=KEYWORDS
                )
            )
        )
        for item in found:
            message = item[2]
            ids.add(message if isinstance(message, str) else message[0])
    return ids


@pytest.mark.parametrize(
    ("folder", "paths"), CATALOGS, ids=[str(c[0].parent.name) for c in CATALOGS]
)
@pytest.mark.parametrize("locale", ["da", "nb"])
def test_catalog_is_complete(folder, paths, locale):
    po = folder / locale / "LC_MESSAGES" / "messages.po"
    assert po.exists(), f"missing catalog {po}: run `make extract`"
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = _ids_in(paths) - known
    assert not missing, f"not in {po} (run `make extract`): {sorted(missing)[:10]}"
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not untranslated, f"untranslated in {po}: {untranslated[:10]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (check the translation) in {po}: {fuzzy[:10]}"


def test_dates_follow_the_locale(app, client):
    from datetime import datetime

    from flask_babel import force_locale, format_date

    with app.test_request_context():
        with force_locale("da"):
            assert format_date(datetime(2026, 3, 5), "long") == "5. marts 2026"
        with force_locale("nb"):
            assert format_date(datetime(2026, 3, 5), "long") == "5. mars 2026"


def test_templates_follow_a_locale_switched_within_the_request(app):
    """Templates keep the catalog per request; an e-mail in another language switches it."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    from netapp.extensions import db
    from tests import factories as f

    page = "{{ _('Log out') }}"
    with app.test_request_context("/?lang=da"):
        assert render_template_string(page) == "Log ud"
        with force_locale("nb"):
            assert render_template_string(page) == "Logg ut"
            with force_locale("en"):
                assert render_template_string(page) == "Log out"
            assert render_template_string(page) == "Logg ut"
        assert render_template_string(page) == "Log ud"
    user = f.user(language="da")
    with app.test_request_context("/"):
        from flask_login import login_user

        login_user(user)
        assert render_template_string(page) == "Log ud"
        user.language = "nb"  # the profile page's language change, then refresh()
        db.session.flush()
        refresh()
        assert render_template_string(page) == "Logg ut"
