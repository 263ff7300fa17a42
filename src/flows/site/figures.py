"""The index page's numbers: the latest month and 12-month totals of each Taiwan–Japan series, the
headline year's Taiwan–Japan total, and the outlook read from ``data/processed/forecasts.csv`` (keyed by
codes; the series are named in words by :mod:`flows.forecast.keys`).

The headline is Taiwan's own counts: TW→JP ``national_departures`` + JP→TW ``visitor_arrivals``;
the JNTO count of Taiwanese arrivals is the mirror of the first and is never added to it. Totals
over a window or a year are given only when every month is present.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flows.analysis import table as tb
from flows.analysis.table import load_table
from flows.config import FORECAST_ANNUAL, FORECASTS
from flows.errors import ReportError
from flows.forecast import keys, package
from flows.forecast.outlook import VALUES
from flows.forecast.outlook_files import parse_annual
from flows.vocabulary import JP_TO_TW_TAIWAN, TW_TO_JP_JNTO

# The series the index reports, in this order, named in words (flows.forecast.keys.NAMES).
SERIES_LABELS = {tuple(key): name for key, name in keys.NAMES.items()}
HEADLINE_PARTS = (("TW", "JP", "national_departures"), ("JP", "TW", "visitor_arrivals"))


@dataclass(frozen=True)
class SeriesFigures:
    origin: str
    destination: str
    measure: str
    label: str
    latest_month: str
    latest_value: float
    latest_status: str
    window_start: str  # first month of the 12 ending at latest_month
    months_in_window: int
    total_12m: float | None  # None unless all 12 months are present
    total_12m_prior: float | None
    window_statuses: dict[str, int]


@dataclass(frozen=True)
class Headline:
    year: int
    departures_tw_jp: float | None
    arrivals_jp_tw: float | None
    months: tuple[int, int]  # months present in each part

    @property
    def total(self) -> float | None:
        if self.months != (12, 12):
            return None
        return self.departures_tw_jp + self.arrivals_jp_tw


@dataclass(frozen=True)
class OutlookRow:
    direction: str
    model: str  # in words, as datapackage.json states it (else the method version)
    as_of: str
    year: int
    year_total: float | None  # sum of monthly means; None unless 12 months are forecast
    month: str | None  # the horizon month, when forecast
    mean: float | None
    lower_80: float | None
    upper_80: float | None
    lower_95: float | None
    upper_95: float | None
    annual: dict[str, float] | None = None  # the year's total: median, mean and bounds of the paths' totals

@dataclass
class KeyFigures:
    data_as_of: str | None
    series: list[SeriesFigures]
    headline: Headline | None
    outlook: list[OutlookRow] | None
    outlook_note: str | None
    monthly: pd.DataFrame  # the rows used, for the chart
    forecasts: pd.DataFrame | None
    two_way: pd.Series | None = None  # the two-way total the outlook forecasts, by month (YYYY-MM)


def _month(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.astype(str).str[:7], format="%Y-%m").dt.strftime("%Y-%m")


def forecast_of(direction: str) -> tuple[str, str, str] | str:
    """The series a forecast direction continues (its colour on the chart), or ``two_way``."""
    return tuple(keys.CONTINUES[direction]) if direction in keys.CONTINUES else direction


def key_figures(processed_dir: Path, as_of: str | None = None, horizon_end: str = "2030-12",
                headline_year: int = 2024) -> KeyFigures:
    """The index page's numbers, computed from ``monthly_flows.csv`` (and ``forecasts.csv``).

    Only the Taiwan–Japan series named in :data:`SERIES_LABELS` are reported. ``as_of``
    (``YYYY-MM``) ignores later months. Totals over a window or year are given only when every
    month is present.
    """
    processed_dir = Path(processed_dir)
    path = processed_dir / "monthly_flows.csv"
    if not path.exists():
        raise ReportError(f"{path} not found: `git checkout data/processed` restores the committed table "
                          "(with the official raw files, `make build RAW=DIR` rebuilds it)")
    try:
        df = load_table(processed_dir)
    except (KeyError, ValueError) as exc:
        raise ReportError(f"{path}: not the project's table ({exc})") from None
    df["month"] = df["month"].astype(str)
    if as_of:
        df = df[df["month"] <= as_of[:7]]

    df = df[[k in SERIES_LABELS for k in zip(df.origin, df.destination, df.measure)]]
    figures = []
    for key, g in df.groupby(["origin", "destination", "measure"], sort=True):
        g = g.set_index("month")
        latest = g.index.max()
        end = pd.Period(latest, freq="M")
        window = [str(end - i) for i in range(11, -1, -1)]
        prior = [str(end - 12 - i) for i in range(11, -1, -1)]
        in_window = g.loc[g.index.isin(window)]
        in_prior = g.loc[g.index.isin(prior)]
        figures.append(SeriesFigures(
            *key, label=keys.series_name(*key), latest_month=latest,
            latest_value=float(g.loc[latest, "value"]), latest_status=str(g.loc[latest, "status"]),
            window_start=window[0], months_in_window=len(in_window),
            total_12m=float(in_window["value"].sum()) if len(in_window) == 12 else None,
            total_12m_prior=float(in_prior["value"].sum()) if len(in_prior) == 12 else None,
            window_statuses=in_window["status"].value_counts().sort_index().to_dict(),
        ))
    order = {k: i for i, k in enumerate(SERIES_LABELS)}
    figures.sort(key=lambda f: (order.get((f.origin, f.destination, f.measure), 99),
                                f.origin, f.destination, f.measure))

    def year_sum(key):
        o, d, m = key
        rows = df[(df.origin == o) & (df.destination == d) & (df.measure == m)
                  & df.month.str.startswith(f"{headline_year}-")]
        return (float(rows["value"].sum()) if len(rows) else None), rows["month"].nunique()

    (dep, n_dep), (arr, n_arr) = (year_sum(k) for k in HEADLINE_PARTS)
    headline = Headline(headline_year, dep, arr, (n_dep, n_arr)) if (n_dep or n_arr) else None

    outlook, note, fc = read_outlook(processed_dir / FORECASTS, horizon_end, processed_dir / FORECAST_ANNUAL)
    return KeyFigures(df["month"].max() if len(df) else None, figures, headline, outlook, note,
                      df, fc, _two_way(df))


def _annual_outlook(path: Path | None, year: int) -> dict[tuple[str, str], dict[str, float]]:
    """(direction, as_of) → the year's annual outlook from ``forecast_annual.csv`` (empty without it)."""
    if path is None or not path.exists():
        return {}
    rows = parse_annual(path.read_text(encoding="utf-8"))
    rows = rows[rows["year"] == year]
    return {(r["direction"], r["as_of"]): {c: float(r[c]) for c in VALUES} for _, r in rows.iterrows()}


def _two_way(df: pd.DataFrame) -> pd.Series | None:
    """The two-way total the outlook forecasts by month (JNTO's Taiwan → Japan + Taiwan's Japan → Taiwan),
    over the months both parts hold."""
    parts = (TW_TO_JP_JNTO, JP_TO_TW_TAIWAN)
    if not all(tb.has_series(df, *key) for key in parts):
        return None
    total = tb.two_way_total(df.assign(month=pd.PeriodIndex(df["month"], freq="M")), "jnto")["two_way"]
    return total.set_axis(total.index.strftime("%Y-%m"))


def read_outlook(path: Path, horizon_end: str, annual_path: Path | None = None):
    """The outlook rows of ``forecasts.csv`` (newest vintage of each direction and method), as
    ``(rows, note, frame)``: ``rows`` is None and ``note`` says why when there is nothing to show.
    With ``forecast_annual.csv`` (``annual_path``), each row carries the horizon year's total as the
    outlook gives it: median, mean and 80 % / 95 % bounds of the paths' annual totals. Each row's model
    is in words as ``datapackage.json`` beside the file states it (else its method version)."""
    annual = _annual_outlook(annual_path, int(horizon_end[:4]))
    if not path.exists():
        return None, (f"No outlook yet: {path.name} was not found (`flows forecast` "
                      "writes it)."), None
    fc = pd.read_csv(path, dtype={"direction": str, "method_version": str, "as_of": str})
    need = {"direction", "month", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "method_version",
            "as_of"}
    if need - set(fc.columns):
        return None, f"No outlook: {path.name} lacks columns {sorted(need - set(fc.columns))}.", None
    models = package.models(path.parent)
    fc = fc.copy()
    fc["month"] = _month(fc["month"])
    fc["as_of"] = fc["as_of"].astype(str)
    # Only the newest vintage of each (direction, method).
    group = ["direction", "method_version"]
    newest = fc.groupby(group)["as_of"].transform("max")
    fc = fc[fc["as_of"] == newest].sort_values([*group, "month"])
    year = int(horizon_end[:4])
    rows = []
    for (direction, version), g in fc.groupby(group, sort=True):
        in_year = g[g["month"].str.startswith(f"{year}-")]
        at = g[g["month"] == horizon_end[:7]]

        def val(col, at=at):
            return float(at[col].iloc[0]) if len(at) and pd.notna(at[col].iloc[0]) else None

        rows.append(OutlookRow(
            direction, models.get(direction, version), str(g["as_of"].iloc[0]), year,
            float(in_year["mean"].sum()) if in_year["month"].nunique() == 12 else None,
            horizon_end[:7] if len(at) else None,
            val("mean"), val("lower_80"), val("upper_80"), val("lower_95"), val("upper_95"),
            annual.get((direction, str(g["as_of"].iloc[0]))),
        ))
    if not rows:
        return None, f"No outlook: {path.name} has no rows.", fc
    return rows, None, fc

