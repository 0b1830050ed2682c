"""Graph: typed NetworkX views projected from the store (scalar attributes only)."""

from kg.graph.views import VIEWS, project, view_of

__all__ = ["VIEWS", "project", "view_of"]
