"""Access to the data files shipped with kg (ontology, vocabularies, patterns, sample corpus).

They are found through :mod:`importlib.resources`, so they work from an installed wheel as well as
from a source checkout.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def ontology_file(*parts: str) -> Traversable:
    """A file under the ``ontology/`` data package.

    >>> ontology_file("patterns", "boilerplate.jsonl").is_file()
    True
    """
    node = files("kg.ontology")
    for part in parts:
        node = node / part
    return node


def ontology_files(folder: str, suffix: str) -> list[Traversable]:
    """The files of one ``ontology/`` folder ending in ``suffix``, sorted by name."""
    return sorted(
        (f for f in ontology_file(folder).iterdir() if f.name.endswith(suffix)),
        key=lambda f: f.name,
    )


def read_jsonl(resource: Traversable) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON-lines data file, skipping blank lines and ``//`` comments."""
    for line in resource.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            yield json.loads(line)


def data_file(name: str) -> Traversable:
    """A file of the ``kg.data`` package (the sample corpus, the endpoint's query page).

    >>> data_file("sparql.html").is_file()
    True
    """
    return files("kg.data") / name


def sample_corpus() -> Traversable:
    """The bundled sample corpus, one JSON article per line."""
    return data_file("sample_corpus.jsonl")
