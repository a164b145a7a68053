"""Forms of the account pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from netapp.auth.services import is_common_password
from netapp.forms import BaseForm
from netapp.i18n import LANGUAGE_NAMES


def not_common(form, field):
    """Refuse the passwords everybody tries first."""
    if field.data and is_common_password(field.data):
        raise ValidationError(_l("This password is too common. Choose another."))


def new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a password.")),
            Length(min=8, max=128, message=_l("Use between 8 and 128 characters.")),
            not_common,
        ],
    )


def strip(value):
    """Forgive the spaces a phone keyboard adds."""
    return value.strip() if isinstance(value, str) else value


def email_field(label):
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("That is not a valid e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
        ],
    )


class LoginForm(BaseForm):
    email = email_field(_l("E-mail"))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=128)],
    )
    remember = BooleanField(_l("Remember me on this device"))


class ForgotPasswordForm(BaseForm):
    email = email_field(_l("E-mail"))


class ResetPasswordForm(BaseForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class ProfileForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
        ],
    )
    email = email_field(_l("E-mail"))
    # Asked only when the e-mail changes (the view checks it): a session left open on a
    # tablet must not be enough to move the account to another address.
    password = PasswordField(
        _l("Current password (only to change the e-mail)"), validators=[Length(max=128)]
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
    )


class ConfirmEmailForm(BaseForm):
    """The button on the page the e-mailed link opens (opening a link never changes data)."""


class LanguageForm(BaseForm):
    """The header's language switch: one button per language, back to the same page."""

    language = SelectField(choices=[SelectChoice(k, v) for k, v in LANGUAGE_NAMES.items()])
    next = HiddenField()
