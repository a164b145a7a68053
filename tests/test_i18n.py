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
    # pybabel compile skips a catalog whose header is fuzzy: the pages would fall back to
    # English without a word
    assert not catalog.fuzzy, f"{po}'s header is marked fuzzy: it would not be compiled"


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


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_template_formatters_match_flask_babel(app, language):
    """netapp.i18n's cached formatters give exactly what Flask-Babel's give."""
    from datetime import date, datetime

    import flask_babel
    from flask_babel import force_locale

    from netapp import i18n

    moments = [datetime(2026, 3, 28, 23, 30), datetime(2026, 10, 24, 22, 59),
               datetime(2026, 12, 31, 23, 0), datetime(2027, 1, 1, 8, 15)]
    with app.test_request_context(), force_locale(language):
        for moment in moments:  # naive UTC, across both DST changes and midnight in Copenhagen
            for fmt in ("medium", "long", "short", "d/M"):
                assert i18n.format_date(moment, fmt) == flask_babel.format_date(
                    moment, i18n.date_pattern(fmt, language))
            for fmt in ("medium", "short", "HH:mm", "EEEE d. MMMM HH:mm"):
                assert i18n.format_datetime(moment, fmt) == flask_babel.format_datetime(
                    moment, i18n.datetime_pattern(fmt, language))
        assert i18n.format_date(moment) == flask_babel.format_date(
            moment, i18n.date_pattern("medium", language))
        assert i18n.format_date(date(2026, 5, 1), "long") == flask_babel.format_date(
            date(2026, 5, 1), i18n.date_pattern("long", language))
        for number, fmt in ((3.25, "0.0"), (4, "0.0"), (0.375, "0%"), (1234.5, None)):
            assert i18n.format_decimal(number, fmt) == flask_babel.format_decimal(number, fmt)
        # 23:30 UTC on 28 March is already the 29th in Copenhagen
        assert i18n.format_date(moments[0], "d/M") == "29/3"


def test_template_strings_are_escaped_in_pages_and_left_plain_in_text_emails(app):
    """_() fills its %(name)s values escaped in HTML, as typed in a plain-text e-mail."""
    from flask import render_template_string

    page = "{{ _('Log out') }} {{ _('%(name)s is here', name=who) }}"
    text = "{% autoescape false %}" + page + "{% endautoescape %}"
    with app.test_request_context("/?lang=da"):
        assert render_template_string(page, who="Bo & <Ib>") == (
            "Log ud Bo &amp; &lt;Ib&gt; is here")
        assert render_template_string(text, who="Bo & <Ib>") == "Log ud Bo & <Ib> is here"
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"


@pytest.mark.parametrize("locale", ["da", "nb", "en"])
def test_no_catalog_replaces_another_domains_text(locale):
    """Flask-Babel merges the catalogs into one and the last one wins: a text two catalogs
    translate differently would show the other domain's wording. Give the texts one
    translation, or tell them apart with a context (pgettext)."""
    from netapp import translation_directories

    seen: dict[tuple, dict[str, object]] = {}
    for folder in translation_directories():
        po = folder / locale / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as f:
            for message in read_po(f, locale=locale):
                if message.id:
                    key = (message.context, message.id)
                    seen.setdefault(key, {})[folder.parent.name] = message.string
    clashes = {key[1]: by_domain for key, by_domain in seen.items()
               if len({str(s) for s in by_domain.values()}) > 1}
    assert not clashes, f"one text, two {locale} translations: {clashes}"


# Danish words that have a plain English one; in English a Danish term of art may only
# follow the English word in brackets ("Ground rules (spilleregler)").
DANISH_WORDS = ("afbud", "tovholder", "kernedeltager", "netværk", "møde", "referat",
                "spilleregler", "deltager")


def test_english_pages_say_it_in_english():
    """What an English reader sees (the en translation, else the text itself) has no
    Danish word outside brackets."""
    import re

    danish = re.compile(r"\b(" + "|".join(DANISH_WORDS) + r")\w*", re.IGNORECASE)
    found = []
    for folder, _paths in CATALOGS:
        with (folder / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
            for message in read_po(f, locale="en"):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (
                    message.string,)
                for shown in [s or i for s, i in zip(strings, ids, strict=True)]:
                    if danish.search(re.sub(r"\([^)]*\)", "", shown)):
                        found.append(shown)
    assert not found, f"Danish in English pages: {found[:10]}"


def test_a_count_before_a_noun_has_a_singular_and_a_plural():
    """"1 people", "1 afbud", "9 deltager": a number shown before a noun goes through
    ngettext, so each language picks its own form."""
    import re

    counted = re.compile(r"%\((n|num|count|total)\)[sd] (\w+ ){0,2}(groups|people|persons|minutes|"
                         r"meetings|members|participants|invitations|requests|hours|days)\b")
    single = []
    for folder, _paths in CATALOGS:
        with (folder / "messages.pot").open("rb") as f:
            single += [m.id for m in read_po(f) if isinstance(m.id, str) and counted.search(m.id)]
    assert not single, f"counts without a plural form: {single}"
