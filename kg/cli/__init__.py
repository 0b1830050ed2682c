"""The ``kg`` command line: a thin layer over :mod:`kg.pipeline` and friends.

Exit codes: 0 success, 1 failure, 2 bad usage or bad input. Errors are one line on stderr
(``--debug`` shows the traceback); progress bars go to stderr and only on a terminal. The
commands live in small private modules by what they read: articles (``_build``), the store
(``_query``), the graph views (``_graph``).
"""

from __future__ import annotations

import sys

import click

from kg.cli import _build, _graph, _query  # noqa: F401  (register the commands)
from kg.cli._common import cli, err
from kg.errors import KgError

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="kg", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        err.print("kg: aborted", markup=False)
        return 1
    except click.ClickException as exc:
        err.print(f"kg: error: {exc.format_message()}", markup=False)
        return exc.exit_code
    except KgError as exc:
        if debug:
            raise
        err.print(f"kg: error: {exc}", markup=False)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an unexpected failure: one line, the traceback with --debug
        if debug:
            raise
        err.print(
            f"kg: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            markup=False,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
