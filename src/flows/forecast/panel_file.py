"""``panel_backtest.csv``: the engine's annual forecasts on the reference panel, which calibrate the outlook.

The rows of :func:`flows.forecast.panel.annual_backtest` — every series of the reference panel from
December origins :data:`ORIGINS`, annual totals 1–5 years ahead up to 2019 — made with the engine's
spec (:mod:`flows.forecast.spec`) and two columns that say what they were made from: ``spec`` (the
spec's name) and ``panel_input`` (a digest of the panel's monthly values through 2019). In the file a
flow is keyed by codes, ``origin``, ``destination``, ``measure`` (:func:`flows.forecast.keys.panel_key`),
and the year of the December a forecast was made from is ``forecast_origin``; in memory the rows keep
the panel's names (``series``, ``KR→JP``) and ``origin`` (:data:`FILE_NAMES`). ``flows
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
from flows.forecast import keys
from flows.forecast import panel as pn
from flows.forecast.spec import DEFAULT, EngineSpec

ORIGINS = range(2006, 2015)  # December origins: five years ahead ends in 2019 from 2014
SEED = 0
FILE_NAMES = {"origin": "forecast_origin"}  # the rows' columns renamed in the file (their series: key columns)


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
    flows = pd.DataFrame([keys.panel_key(name) for name in rows["series"]], index=rows.index)
    frame = pd.concat([flows, rows.drop(columns="series").rename(columns=FILE_NAMES)], axis=1)
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.2f")


def parse(text_: str) -> pd.DataFrame:
    """The rows of the file's text, as :func:`make_rows` made them."""
    frame = pd.read_csv(io.StringIO(text_), dtype={k: str for k in keys.KEY[1:]})
    names = [keys.panel_name(o, d) for o, d in zip(frame["origin"], frame["destination"])]
    frame = frame.drop(columns=keys.KEY[1:]).rename(columns={v: k for k, v in FILE_NAMES.items()})
    return frame.assign(series=names)[["series", *frame.columns]]


def reusable(processed_dir: str | Path, panel: Mapping[str, pd.Series], spec: EngineSpec = DEFAULT) -> pd.DataFrame | None:
    """The committed rows when they were made by ``spec`` from this panel's history, else None."""
    path = Path(processed_dir) / PANEL_BACKTEST
    if not path.is_file():
        return None
    try:
        rows = parse(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, pd.errors.ParserError):  # unreadable, or not this file's columns
        return None
    if rows.empty or set(rows.get("spec", [])) != {spec.name} or set(rows.get("panel_input", [])) != {panel_input(panel)}:
        return None
    return rows


def read(processed_dir: str | Path) -> pd.DataFrame:
    """``panel_backtest.csv`` as ``flows forecast`` wrote it."""
    return parse((Path(processed_dir) / PANEL_BACKTEST).read_text(encoding="utf-8"))
