"""Paths, output file names, the shock window and seeds: every setting the stages share."""

from __future__ import annotations

import os
from pathlib import Path

ATTRIBUTION = (
    "Source: Japan National Tourism Organization (JNTO); "
    "Tourism Administration, MOTC (Taiwan)"
)

# --- folders (relative to the working directory, as the README's commands use them) ----------
DEFAULT_RAW = Path("data/raw")
DEFAULT_PROCESSED = Path("data/processed")
DEFAULT_REPORTS = Path("reports")


def default_raw() -> Path:
    """``$FLOWS_RAW`` when set, else ``data/raw``."""
    return Path(os.environ.get("FLOWS_RAW", DEFAULT_RAW))


# --- files in data/processed ------------------------------------------------------------------
TABLE = "monthly_flows.csv"  # written by `flows build`
LINEAGE = "monthly_flows_lineage.csv"
CONFLICTS = "conflicts.csv"
REVISIONS = "revisions.csv"
DESCRIPTOR = "datapackage.json"
ANNUAL_TABLE = "annual_flows.csv"  # written by `flows build`: published annual figures with no monthly table
FORECASTS = "forecasts.csv"  # written by `flows forecast`
FORECAST_ANNUAL = "forecast_annual.csv"  # written by `flows forecast`: the outlook's calendar-year totals
FORECAST_PATHS = "forecast_paths.csv"  # written by `flows forecast`: the outlook's sample paths, read by the load
PANEL_BACKTEST = "panel_backtest.csv"  # written by `flows forecast`: the panel's annual forecasts, the calibration
VINTAGES = "forecast_vintages.csv"  # appended to by `flows forecast`: every outlook as it was made

# --- modelling ----------------------------------------------------------------------------------
# Border closures, quarantine and the reopening of October 2022: the months every model fit
# (trend regressions, forecasts, the load model) leaves out, and the window charts shade.
SHOCK_WINDOW = ("2020-02", "2022-12")

FORECAST_SEEDS = {"tw_to_jp": 20240101, "jp_to_tw": 20240102}  # one direction on its own (backtests, benchmarks)
OUTLOOK_SEED = 20240104  # the outlook: both directions drawn together, shocks correlated as their residuals
LOAD_SEED = 0  # sample paths behind the border-sharing load
N_PATHS = 1000
HORIZON_END = "2030-12"
