"""Small helpers for the live web tests."""

import re

HX = {"HX-Request": "true"}


def version_in(html: str) -> int:
    """The clock version a fragment was rendered at."""
    return int(re.search(r'data-version="(\d+)"', html).group(1))


def attr(html: str, name: str) -> str:
    """The first value of a data attribute in a fragment."""
    return re.search(rf'{name}="([^"]*)"', html).group(1)
