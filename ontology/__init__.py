"""Data package: the kg ontology, SHACL shapes, SKOS vocabularies, rule patterns and named queries.

Installed as ``kg.ontology`` so that :func:`importlib.resources.files` finds it in a wheel.
"""
