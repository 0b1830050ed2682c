"""Analysis in networkx style (a graph in, plain data out): centrality, supply concentration,
dependency paths, what-if exposure, communities and time slices; results can be written back.
"""

from kg.analysis.centrality import MEASURES, centrality, top_actors
from kg.analysis.communities import communities, community_of, community_table, timeline
from kg.analysis.dependency import dependency_paths, exposure
from kg.analysis.measures import betweenness_centrality, eigenvector_centrality, pagerank
from kg.analysis.results import ANALYSIS_GRAPH, analysis_quads, write_analysis
from kg.analysis.supply import Production, concentration, hhi, load_reference, shares

__all__ = [
    "ANALYSIS_GRAPH",
    "MEASURES",
    "Production",
    "analysis_quads",
    "betweenness_centrality",
    "centrality",
    "communities",
    "community_of",
    "community_table",
    "concentration",
    "dependency_paths",
    "eigenvector_centrality",
    "exposure",
    "hhi",
    "load_reference",
    "pagerank",
    "shares",
    "timeline",
    "top_actors",
    "write_analysis",
]
