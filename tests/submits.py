"""A fresh once-token for a test's POST to a creating form (any unused string will do)."""

import secrets


def once() -> str:
    """A token no form has used yet, as a freshly rendered page would carry."""
    return secrets.token_urlsafe(12)
