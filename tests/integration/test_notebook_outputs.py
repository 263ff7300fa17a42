"""What the committed notebooks show: no printed line wider than 100 characters, tables as HTML tables.

A printed line wider than a notebook's output area wraps into broken columns in JupyterLab beside
the file browser (and on the report's pages it would scroll); tables a reader looks at are shown by
:func:`flows.viz.tables.show` as HTML, with their text form (what nbval checks) wrapped at 100.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.viz.tables import CSS_CLASS, LINE_WIDTH

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def text_outputs(path: Path):
    """(cell number, kind, text) of every printed output and every text form of a displayed one."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                yield i, out["name"], "".join(out["text"])
            elif "text/plain" in out.get("data", {}):
                yield i, "text/plain", "".join(out["data"]["text/plain"])


def wide_lines(path: Path, width: int = LINE_WIDTH) -> list[str]:
    return [f"{path.name} cell {i} ({kind}): {len(line)} characters: {line[:60]!r}…"
            for i, kind, text in text_outputs(path) for line in text.splitlines() if len(line) > width]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_printed_line_is_wider_than_100_characters(path):
    found = wide_lines(path)
    assert not found, "\n".join(found)


MIN_TABLES = {"05_what_if.ipynb": 2}  # the tables each notebook shows a reader (05: its check and its ranking)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tables_are_shown_as_html_tables(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tables = sum(f'class="dataframe {CSS_CLASS}"' in "".join(out.get("data", {}).get("text/html", ""))
                 for cell in nb["cells"] for out in cell.get("outputs", []))
    assert tables >= MIN_TABLES.get(path.name, 3), f"{path.name}: {tables} HTML tables"


def test_the_check_sees_a_wide_line(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "x" * 101 + "\n" + "y" * 100},
        {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "z" * 120}}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "wide.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = wide_lines(path)
    assert len(found) == 2 and "(stdout): 101 characters" in found[0] and "(text/plain): 120" in found[1]
