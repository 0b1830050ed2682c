"""Exceptions raised by kg.

Every error kg raises on purpose derives from :class:`KgError`; the command line prints its
message on one line and exits with its ``exit_code``::

    KgError                      exit 1, a failure
    ├── InputError               exit 2, bad input: a missing, empty, binary or undecodable file
    ├── UsageError               exit 2, a bad value for an option (an unknown format, model...)
    ├── ModelError               exit 2, a spaCy pipeline that cannot be loaded
    ├── StoreError               exit 1, the store cannot be opened or written
    │   ├── StoreLockedError     exit 1, another process holds the store
    │   └── NotAStoreError       exit 2, a folder of other files given as --store
    ├── QueryError               exit 1, a SPARQL query that failed to parse or run
    │   └── ForbiddenQueryError  exit 2, SERVICE or LOAD where only reading is allowed
    │       └── UpdateForbiddenError  exit 2, an update (INSERT, DROP…) sent as a query
    └── ExportError              exit 1, an export that could not be written
"""

from __future__ import annotations


class KgError(Exception):
    """Root of kg's exceptions."""

    exit_code = 1


class InputError(KgError):
    """An input file or record that cannot be used."""

    exit_code = 2


class UsageError(KgError):
    """A bad option value; the message lists the valid choices."""

    exit_code = 2


class ModelError(KgError):
    """A spaCy pipeline that cannot be loaded."""

    exit_code = 2


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process has the on-disk store open for writing."""


class NotAStoreError(StoreError):
    """A non-empty folder that is not a kg store: kg refuses to write into it."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query that failed to parse or to run."""


class ForbiddenQueryError(QueryError):
    """A query that asks for something kg does not allow (SERVICE, LOAD, updates)."""

    exit_code = 2


class UpdateForbiddenError(ForbiddenQueryError):
    """An update (INSERT, DELETE, DROP…) where only a read-only query is accepted."""


class ExportError(KgError):
    """An export that could not be written."""
