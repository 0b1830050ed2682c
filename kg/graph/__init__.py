"""Graph: typed NetworkX views projected from the store (scalar attributes only)."""

from kg.graph.context import SupplyContext, supply_context
from kg.graph.views import AGREEMENT_MODES, VIEWS, coparty_projection, project, view_of

__all__ = [
    "AGREEMENT_MODES",
    "VIEWS",
    "SupplyContext",
    "coparty_projection",
    "project",
    "supply_context",
    "view_of",
]
