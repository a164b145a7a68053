"""The base of every form: input hygiene for each field before the field sees its value.

Every form in netapp inherits BaseForm (tests/test_input_hygiene.py fails on one that
does not). What the browser sends is sifted first: a file part sent to a field that is
not a file field, a control character (NUL above all), or a line break in a single-line
field is refused with a message beside the field, and the typed text comes back without
the offending characters. Dates stay between hygiene.MIN_YEAR and hygiene.MAX_YEAR.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as FlaskFileField
from werkzeug.datastructures import MultiDict
from wtforms import DateTimeField, FileField, TextAreaField

from netapp import hygiene

NOT_A_FILE = _l("This field takes text, not a file.")
CONTROL = _l("Remove the invisible control characters from this field.")
ONE_LINE = _l("This field takes a single line: remove the line breaks.")


def _year_message():
    return _l("Give a date between the years %(first)s and %(last)s.",
              first=hygiene.MIN_YEAR, last=hygiene.MAX_YEAR)


class BaseForm(FlaskForm):
    """A Flask-WTF form whose every field gets clean text or a message, never a crash."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            try:
                return super().wrap_formdata(form, formdata)
            except (TypeError, ValueError):  # a JSON body that is no object: nothing usable
                return MultiDict()

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        """Sift the submitted values, let the fields process them, then add the refusals."""
        formdata = self.meta.wrap_formdata(self, formdata)
        refusals: dict[str, str] = {}
        if formdata is not None:
            formdata, refusals = _sift(self, formdata)
        super().process(formdata, obj, data, extra_filters, **kwargs)
        if formdata is None:
            return
        for field in self:
            if field.name in refusals:
                field.process_errors.append(refusals[field.name])
            elif isinstance(field, DateTimeField) and isinstance(field.data, date):
                if not hygiene.in_year_range(field.data):
                    field.process_errors.append(_year_message())


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
