"""WTForms' own messages, marked for netapp's catalogs: WTForms ships no Danish, and its
Norwegian is incomplete (and says "required" for "cannot be edited"), so a member would
otherwise read "Not a valid choice." BaseForm's Meta looks them up in netapp's catalogs
first, then in WTForms' own catalog of the request's language (netapp.forms.Catalog).
Every message WTForms can show a user is here (tests/test_form_languages.py)."""


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where WTForms shows it."""
    return message


def ngettext(singular: str, plural: str, n: int) -> tuple[str, str]:
    """Mark a message with a plural for extraction (not a translation)."""
    return singular, plural


MESSAGES = (
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid datetime value."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("Not a valid week value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 2),
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 2),
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 2),
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 2),
)
