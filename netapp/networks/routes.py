"""Load every view module of the domain, so each registers its routes on bp."""

from netapp.networks import (  # noqa: F401
    views,
    views_contract,
    views_invitations,
    views_members,
    views_org,
)
from netapp.networks.blueprint import bp

__all__ = ["bp"]
