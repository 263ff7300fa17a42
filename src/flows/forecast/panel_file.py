"""``panel_backtest.csv``: the engine's annual forecasts on the reference panel, which calibrate the outlook.

The rows of :func:`flows.forecast.panel.annual_backtest` — every series of the reference panel from
December origins :data:`ORIGINS`, annual totals 1–5 years ahead up to 2019 — made with the engine's
spec (:mod:`flows.forecast.spec`) and two columns that say what they were made from: ``spec`` (the
spec's name) and ``panel_input`` (a digest of the panel's monthly values through 2019). ``flows
forecast`` reuses the file while both match (the panel's history does not move when a month is
published) and remakes it otherwise (about five minutes).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from flows.config import N_PATHS, PANEL_BACKTEST
from flows.forecast import panel as pn
from flows.forecast.spec import DEFAULT, EngineSpec

ORIGINS = range(2006, 2015)  # December origins: five years ahead ends in 2019 from 2014
SEED = 0


def panel_input(panel: Mapping[str, pd.Series]) -> str:
    """A digest of the panel's series names and monthly values through :data:`flows.forecast.panel.LAST_TARGET`."""
    digest = hashlib.sha256()
    for name, y in sorted(panel.items()):
        y = y[y.index.year <= pn.LAST_TARGET]
        digest.update(f"{name}\n{y.to_csv(header=False, lineterminator=chr(10))}".encode())
    return digest.hexdigest()[:16]


def make_rows(panel: Mapping[str, pd.Series], spec: EngineSpec = DEFAULT) -> pd.DataFrame:
    """The panel's long table (:func:`flows.forecast.panel.annual_backtest`) with ``spec`` and ``panel_input``."""
    rows = pn.annual_backtest(panel, ORIGINS, n_paths=N_PATHS, seed=SEED, spec=spec)
    return rows.assign(spec=spec.name, panel_input=panel_input(panel))


def text(rows: pd.DataFrame) -> str:
    """The file's text: the same rows give the same bytes."""
    return rows.to_csv(index=False, lineterminator="\n", float_format="%.2f")


def parse(text_: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text_))


def reusable(processed_dir: str | Path, panel: Mapping[str, pd.Series], spec: EngineSpec = DEFAULT) -> pd.DataFrame | None:
    """The committed rows when they were made by ``spec`` from this panel's history, else None."""
    path = Path(processed_dir) / PANEL_BACKTEST
    if not path.is_file():
        return None
    try:
        rows = parse(path.read_text(encoding="utf-8"))
    except (ValueError, pd.errors.ParserError):
        return None
    if rows.empty or set(rows.get("spec", [])) != {spec.name} or set(rows.get("panel_input", [])) != {panel_input(panel)}:
        return None
    return rows


def read(processed_dir: str | Path) -> pd.DataFrame:
    """``panel_backtest.csv`` as ``flows forecast`` wrote it."""
    return parse((Path(processed_dir) / PANEL_BACKTEST).read_text(encoding="utf-8"))
