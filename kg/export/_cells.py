"""Spreadsheet cells that stay text: no formula injection through a label.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and some a tab or carriage return before one) as a formula, so a label such as
``=HYPERLINK(...)`` taken from a news article would run on the analyst's machine. As OWASP's
"CSV Injection" advice says, such a cell gets a leading apostrophe, which spreadsheets read as
"this is text". Plain numbers (``-3.5``) are left as they are: a spreadsheet reads them as
numbers, not formulas. Only the spreadsheet-facing CSVs use this (the Gephi tables and
``kg analyze --format csv``); SPARQL CSV results follow the W3C format byte for byte.
"""

from __future__ import annotations

import re
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` with a leading apostrophe if a spreadsheet would read it as a formula.

    Anything that is not a string is returned unchanged.

    >>> spreadsheet_safe("=SUM(1+1)"), spreadsheet_safe("@Acme"), spreadsheet_safe("\\t=1")
    ("'=SUM(1+1)", "'@Acme", "'\\t=1")
    >>> spreadsheet_safe("-2+3+cmd|' /C calc'!A0")
    "'-2+3+cmd|' /C calc'!A0"
    >>> spreadsheet_safe("Acme - Copper"), spreadsheet_safe("-3.5"), spreadsheet_safe(-3.5)
    ('Acme - Copper', '-3.5', -3.5)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
