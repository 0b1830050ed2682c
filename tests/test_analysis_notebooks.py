"""The notebooks are kept without outputs and without network access (pytest runs them: nbmake)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stripped_and_nothing_is_fetched(path: Path) -> None:
    book = json.loads(path.read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            code = "".join(cell["source"])
            assert not re.search(r"\b(requests|urllib|urlopen|pip install|wget|curl)\b", code)
    assert book["metadata"]["kernelspec"]["name"] == "python3"
