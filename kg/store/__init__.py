"""Store: the embedded Oxigraph database on disk (or in memory), one transaction per article."""

from kg.store.oxigraph import GraphStore, check_read_only_query, load_query, named_queries

__all__ = ["GraphStore", "check_read_only_query", "load_query", "named_queries"]
