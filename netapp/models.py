"""Load every domain's models, so metadata and migrations see all tables.

Each domain keeps its models in `netapp/<domain>/models.py`; import them from there.
"""

from importlib import import_module, util

# Domains whose models others build on, even before their blueprints exist.
CORE = ("auth", "main", "networks", "meetings")


def load_all() -> None:
    """Import each domain's models module (once; Python caches the import)."""
    from netapp import DOMAINS

    for domain in dict.fromkeys(CORE + DOMAINS):
        if util.find_spec(f"netapp.{domain}.models") is not None:
            import_module(f"netapp.{domain}.models")
    import_module("netapp.mail.models")  # the outbox, which every domain writes to
