"""kg: a knowledge graph of critical-minerals geopolitics, built from news.

The package follows the data flow: :mod:`kg.ingest` → :mod:`kg.extract` → :mod:`kg.resolve` →
:mod:`kg.rdf` → :mod:`kg.store` → :mod:`kg.graph` → :mod:`kg.analysis` / :mod:`kg.export`, wired
by :mod:`kg.pipeline` and driven by :mod:`kg.cli`.
"""

__version__ = "0.1.0"

from kg.errors import (
    ExportError,
    ForbiddenQueryError,
    InputError,
    KgError,
    ModelError,
    QueryError,
    StoreError,
    StoreLockedError,
    UpdateForbiddenError,
    UsageError,
)

__all__ = [
    "ExportError",
    "ForbiddenQueryError",
    "InputError",
    "KgError",
    "ModelError",
    "QueryError",
    "StoreError",
    "StoreLockedError",
    "UpdateForbiddenError",
    "UsageError",
    "__version__",
]
