"""Networks and members: set-up, invitations, roles, composition and the contract."""


def __getattr__(name: str):
    """Re-export bp lazily: other domains' models import netapp.networks.models, and
    loading the views (which import those models) at package import would be circular."""
    if name == "bp":
        from netapp.networks.routes import bp

        return bp
    raise AttributeError(name)


__all__ = ["bp"]
