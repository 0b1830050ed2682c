"""Analysis: centrality of actors in a view (graph in, plain data out)."""

from kg.analysis.centrality import centrality, top_actors

__all__ = ["centrality", "top_actors"]
