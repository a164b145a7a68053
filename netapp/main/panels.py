"""The home page is built from panels that each domain contributes.

A domain registers `(template, context_function)`; the function takes the user and
returns the template's context, or None when the panel has nothing to show. Each
function must use a fixed number of queries, whatever the user's number of networks.
"""

from collections.abc import Callable

Panel = tuple[str, Callable[[object], dict | None]]
PANELS: list[Panel] = []


def home_panel(template: str):
    """Decorator: register a context function for a home-page partial."""

    def register(func):
        PANELS.append((template, func))
        return func

    return register


def _domain_order(panel: Panel) -> int:
    """Panels follow the order of DOMAINS: networks first, then meetings, live, evaluations."""
    from netapp import DOMAINS

    domain = panel[0].split("/", 1)[0]
    return DOMAINS.index(domain) if domain in DOMAINS else len(DOMAINS)


def render_context(user) -> list[tuple[str, dict]]:
    """The panels with something to show, in the order of the domains."""
    panels = []
    for template, func in sorted(PANELS, key=_domain_order):
        context = func(user)
        if context is not None:
            panels.append((template, context))
    return panels
