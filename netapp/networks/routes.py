"""Load every view module of the domain, so each registers its routes on bp."""

from netapp.networks import (  # noqa: F401
    contract_views,
    coordinators,
    invite_views,
    member_views,
    org_views,
    views,
)
from netapp.networks.blueprint import bp

__all__ = ["bp"]
