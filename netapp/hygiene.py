"""Input hygiene in one place: which characters text may hold, the date range, the id range.

Pure rules without Flask forms: netapp.forms applies them to every form field, the URL map
to every id in a path, the mailer to every header.
"""

import re
from datetime import date

from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter

# The largest id the database's integer columns hold (PostgreSQL's INTEGER is 32 bits).
MAX_ID = 2**31 - 1
# Dates outside these years are typing accidents; beyond them a series or a time zone
# conversion would overflow Python's dates (year 9999) or a database's timestamp range.
MIN_YEAR, MAX_YEAR = 2000, 2100

# C0 and C1 control characters (NUL above all: PostgreSQL refuses it in text), the two
# noncharacters, the bidirectional embeddings, overrides and isolates (they make a name or
# a line show other than it reads: "Trojan Source"; right-to-left text needs none of them,
# and the marks U+200E/U+200F stay) and the byte-order mark, which shows as nothing; a
# multi-line field keeps tab, line feed and carriage return.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
# What Python's str.splitlines() and mail clients take for a line break; tab is allowed.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def has_control(value: str) -> bool:
    """True when the text holds a control character other than tab and line breaks."""
    return _CONTROL.search(value) is not None


def has_line_break(value: str) -> bool:
    """True when the text would start a new line anywhere (mail headers, logs, CSV)."""
    return _LINE_BREAK.search(value) is not None


def without_control(value: str, multiline: bool) -> str:
    """The text with control characters removed (line breaks become spaces if one line)."""
    value = _CONTROL.sub("", value)
    return value if multiline else _LINE_BREAK.sub(" ", value)


def one_line(value: str) -> str:
    """A header-safe single line: breaks and control characters become single spaces."""
    return " ".join(_CONTROL.sub(" ", _LINE_BREAK.sub(" ", value)).split())


def as_id(value) -> int | None:
    """A submitted id (ASCII digits, within the database's range), else None."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
        return number if number <= MAX_ID else None
    return None


def in_year_range(day: date) -> bool:
    """True for a date between MIN_YEAR and MAX_YEAR."""
    return MIN_YEAR <= day.year <= MAX_YEAR


def up_to(largest: int) -> str:
    """A regular expression matching the decimal numbers 0..largest and nothing else."""
    digits = str(largest)
    parts = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, top in enumerate(digits):
        low = 1 if i == 0 and len(digits) > 1 else 0
        if int(top) > low:
            rest = len(digits) - i - 1
            parts.append(f"{digits[:i]}[{low}-{int(top) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a number no row can have (2^31 and up: PostgreSQL's
    INTEGER; SQLite overflows at 2^64) matches no route, so it is a 404, never an
    overflow in the database and never a 405 from a sibling route of another method."""

    regex = up_to(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


_PATH_CHAR = "[^/\x00-\x1f\x7f-\x9f]"  # what a path segment may hold: no controls, no breaks


class Text(UnicodeConverter):
    """`<token>`: one path segment without control characters (NUL would reach a query)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", _PATH_CHAR, 1)


class TextPath(PathConverter):
    """`<path:filename>` without control characters."""

    regex = f"{_PATH_CHAR}[^\x00-\x1f\x7f-\x9f]*?"


class Routes(Map):
    """The URL map with these converters, in force before the first route (static too)."""

    default_converters = {**Map.default_converters, "default": Text, "string": Text,
                          "path": TextPath, "int": DatabaseId}
