"""The base of every form: input hygiene for each field before the field sees its value.

Every form in netapp inherits BaseForm (tests/test_input_hygiene.py fails on one that
does not). What the browser sends is sifted first: a file part sent to a field that is
not a file field, a control character (NUL above all), or a line break in a single-line
field is refused with a message beside the field, and the typed text comes back without
the offending characters. Dates stay between hygiene.MIN_YEAR and hygiene.MAX_YEAR.
"""

import gettext as gettext_module
from datetime import date
from functools import lru_cache

from flask_babel import get_locale as i18n_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as FlaskFileField
from werkzeug.datastructures import MultiDict
from wtforms import DateTimeField, FileField, TextAreaField
from wtforms import i18n as wtforms_i18n

from netapp import hygiene, stale_forms
from netapp.i18n import catalog

NOT_A_FILE = _l("This field takes text, not a file.")
CONTROL = _l("Remove the invisible control characters from this field.")
ONE_LINE = _l("This field takes a single line: remove the line breaks.")


def _year_message():
    return _l("Give a date between the years %(first)s and %(last)s.",
              first=hygiene.MIN_YEAR, last=hygiene.MAX_YEAR)


class Catalog:
    """WTForms' own messages in the request's language: from netapp's catalogs (which hold
    every one, in Danish too: netapp.form_messages), else from WTForms' own catalog of
    that language (a message a newer WTForms adds), else in English."""

    def gettext(self, string):
        found = catalog().ugettext(string)
        return found if found != string else _wtforms_catalog().gettext(string)

    def ngettext(self, singular, plural, n):
        found = catalog().ungettext(singular, plural, n)
        if found not in (singular, plural):
            return found
        return _wtforms_catalog().ngettext(singular, plural, n)


def _wtforms_catalog():
    """WTForms' own translations for the locale in force (English where it has none)."""
    return _wtforms_translations(str(i18n_locale()))


@lru_cache(maxsize=8)
def _wtforms_translations(locale: str):
    return gettext_module.translation("wtforms", wtforms_i18n.messages_path(), [locale],
                                      fallback=True)


class BaseForm(FlaskForm):
    """A Flask-WTF form whose every field gets clean text or a message, never a crash.

    `clean_data` holds the sifted submission, for the few values a view reads by a name
    no field has (the summary's note-<item id>); a refusal among those is a form error.
    """

    clean_data: MultiDict = MultiDict()
    _refusals: dict = {}  # field name → message, kept through validators that clear errors
    _unbound_refusals: tuple = ()

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return Catalog()

        def render_field(self, field, render_kw):
            """Hidden inputs carry no id: nothing labels them, and the CSRF token and
            the once-token of every form on a page would otherwise share one id."""
            if getattr(field.widget, "input_type", None) == "hidden":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)

        def wrap_formdata(self, form, formdata):
            try:
                return super().wrap_formdata(form, formdata)
            except (TypeError, ValueError):  # a JSON body that is no object: nothing usable
                return MultiDict()

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        """Sift the submitted values, let the fields process them, then note the refusals."""
        formdata = self.meta.wrap_formdata(self, formdata)
        refusals: dict[str, str] = {}
        if formdata is not None:
            formdata, refusals = _sift(self, formdata)
            self.clean_data = formdata
        super().process(formdata, obj, data, extra_filters, **kwargs)
        if formdata is None:
            return
        names = {field.name for field in self}
        self._unbound_refusals = tuple(dict.fromkeys(
            message for name, message in refusals.items() if name not in names))
        for field in self:
            if field.name not in refusals and isinstance(field, DateTimeField) \
                    and isinstance(field.data, date) and not hygiene.in_year_range(field.data):
                refusals[field.name] = _year_message()
        self._refusals = {name: m for name, m in refusals.items() if name in names}

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the refusals (a required-check clears the errors
        before it: the refusal says what is really wrong, so it comes first)."""
        ok = super().validate(extra_validators)
        for field in self:
            message = self._refusals.get(field.name)
            if message is not None:
                field.errors = [message, *(e for e in field.errors if e != message)]
                ok = False
        if self._unbound_refusals:
            self.form_errors = [*self.form_errors, *self._unbound_refusals]
            ok = False
        if not ok:
            stale_forms.noticed(self)
        return ok


def _sift(form, formdata) -> tuple[MultiDict, dict[str, str]]:
    """The values each field may see, and the first refusal per field name."""
    fields = {field.name: field for field in form}
    kept, refusals = MultiDict(), {}
    for name, value in formdata.items(multi=True):
        field = fields.get(name)
        if isinstance(field, (FileField, FlaskFileField)):
            kept.add(name, value)
            continue
        if not isinstance(value, str):  # an uploaded file (or a JSON number or list)
            refusals.setdefault(name, NOT_A_FILE)
            continue
        multiline = isinstance(field, TextAreaField)
        if hygiene.has_control(value):
            refusals.setdefault(name, CONTROL)
        elif not multiline and hygiene.has_line_break(value):
            refusals.setdefault(name, ONE_LINE)
        else:
            kept.add(name, value)
            continue
        kept.add(name, hygiene.without_control(value, multiline))
    return kept, refusals
