"""The committed table checked again, for notebook 01's audit: the build's rules on the loaded table, and a
rebuild from the raw files compared byte for byte with the committed outputs."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from flows.assemble.checks import known_gaps
from flows.assemble.output import write
from flows.assemble.pipeline import build
from flows.assemble.schema import bad_values, duplicate_keys, gaps
from flows.config import DESCRIPTOR


def check_table(table: pd.DataFrame) -> dict[str, list[str]]:
    """The build's table rules re-run on the loaded table: rule → problems.
    Gaps documented upstream (``flows/data/known_gaps.csv``) are not problems, as in the build."""
    as_written = table.assign(month=table["month"].astype(str))
    return {"unique keys": duplicate_keys(as_written), "whole non-negative counts, known codes": bad_values(as_written),
            "no month missing inside a series (documented upstream gaps excepted)": gaps(as_written, known_gaps())}


def rebuild_matches(raw_dir: str | Path, processed_dir: str | Path) -> pd.DataFrame:
    """Rebuild from ``raw_dir`` into a temporary folder and compare every output
    with the committed one byte for byte: one row per file (``file``, ``identical``). The folder starts
    with the committed ``datapackage.json``, as ``data/processed`` does, so that the forecast's part of it
    is kept (:mod:`flows.datapackage`)."""
    result = build(Path(raw_dir))
    with tempfile.TemporaryDirectory() as tmp:
        if (Path(processed_dir) / DESCRIPTOR).is_file():
            shutil.copy(Path(processed_dir) / DESCRIPTOR, tmp)
        written = write(result, Path(tmp))
        rows = [{"file": p.name, "identical": (Path(processed_dir) / p.name).is_file()
                 and p.read_bytes() == (Path(processed_dir) / p.name).read_bytes()} for p in written]
    return pd.DataFrame(rows)
