"""The outlook's ceiling for Taiwan → Japan: the largest five-year moves Taiwan's own history shows.

Trips to Japan are Taiwan's departures per resident × Japan's share of departures × the population
(:mod:`flows.forecast.annual_inputs`). Over 2002–2019 the largest five-year rise of departures per
resident (published by the Tourism Administration, the population from the Ministry of the Interior)
was ×1.51 (2012 → 2017) and of Japan's share +0.86 on the logit scale (2010 → 2015), moves that start in a
year of collapse (:data:`SHOCK_YEARS`) left out. Both at once,
from the last complete year of JNTO's count, give the ceiling :func:`ceilings`: about 16 M trips in
2030 from 2025's 6.8 M, with the population held at its last value. Nearer years use the largest
moves over as many years (one year ahead: the largest one-year moves), so a single strong year is
not held to a fifth of a five-year move.

No path of the outlook goes beyond it (:func:`cap_paths` scales a path's year down to the ceiling);
the outlook says how many paths it touched. The calibrated engine (:mod:`flows.forecast.calibration`)
puts more than the 2.5 % of an upper 95 % bound above it from about four years ahead: the panel's
spread of five-year growth comes from markets that were small or young, not from a market of one
trip in four residents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

SPAN = 5  # years of the moves
HISTORY = (2002, 2019)  # first and last year the moves are read from: before the closures
# Years of a collapse a move may not start from (a move from them is a recovery, not growth): SARS
# (2003) and the Tohoku earthquake and Fukushima (2011), when Japan's share fell by a fifth.
SHOCK_YEARS = (2003, 2011)


@dataclass(frozen=True)
class Moves:
    """The largest ``span``-year moves: ``per_resident`` (ratio) and ``share`` (logit change), each with
    the years it ran between."""

    span: int
    per_resident: float
    per_resident_years: tuple[int, int]
    share: float
    share_years: tuple[int, int]


def largest_moves(factors: pd.DataFrame, span: int = SPAN) -> Moves:
    """:class:`Moves` over ``span`` years from :func:`flows.forecast.annual_inputs.taiwan_factors` within
    :data:`HISTORY`, moves from :data:`SHOCK_YEARS` left out."""
    history = factors.loc[HISTORY[0]:HISTORY[1]]
    pr = history["per_resident"].dropna()
    share = logit(history["share"].dropna())
    pr_moves = (pr.shift(-span) / pr).dropna().drop(list(SHOCK_YEARS), errors="ignore")
    share_moves = (share.shift(-span) - share).dropna().drop(list(SHOCK_YEARS), errors="ignore")
    if pr_moves.empty or share_moves.empty:
        raise ValueError(f"the parts need {span + 1} published years within {HISTORY[0]}–{HISTORY[1]}")
    y1, y2 = int(pr_moves.idxmax()), int(share_moves.idxmax())
    return Moves(span, float(pr_moves.max()), (y1, y1 + span), float(share_moves.max()), (y2, y2 + span))


def ceilings(factors: pd.DataFrame, base_year: int, years) -> pd.Series:
    """Trips to Japan (JNTO's count) each of ``years`` can reach from ``base_year``: ``t = year − base``
    years at the largest ``t``-year moves (:func:`largest_moves`; beyond :data:`SPAN` years, the
    five-year moves compounded: ``ratio^(t/5)``, ``Δ·t/5``), ``base × ratio × expit(logit(s) + Δ) / s``
    with ``s`` Japan's latest published share at or before ``base_year``."""
    base = float(factors.loc[base_year, "arrivals_in_japan"])
    s = float(factors.loc[:base_year, "share"].dropna().iloc[-1])
    values = {}
    for year in years:
        t = year - base_year
        moves = largest_moves(factors, min(t, SPAN))
        scale = t / moves.span
        values[year] = base * moves.per_resident**scale * expit(logit(s) + moves.share * scale) / s
    return pd.Series(values, name="ceiling", dtype=float).rename_axis("year")


def cap_paths(paths: pd.DataFrame, observed: pd.Series, ceiling: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """``paths`` (months × paths, continuing ``observed``) with every calendar year of ``ceiling`` whose
    total (published months of the year included) goes above it brought down to it by scaling the
    year's forecast months, and the share of paths so held in each of those years."""
    out = paths.copy()
    touched = {}
    for year, cap in ceiling.items():
        rows = paths.index.year == year
        if not rows.any():
            continue
        published = float(observed[(observed.index.year == year) & (observed.index < paths.index.min())].sum())
        future = paths.loc[rows].sum().to_numpy()
        over = published + future > cap
        touched[year] = float(over.mean())
        room = max(cap - published, 0.0)
        out.loc[rows] = paths.loc[rows].to_numpy() * np.where(over, room / np.where(future > 0, future, 1.0), 1.0)
    return out, pd.Series(touched, name="share_capped", dtype=float)


def implied(totals: pd.Series, factors: pd.DataFrame, year: int) -> pd.DataFrame:
    """What annual ``totals`` of trips to Japan in ``year`` (e.g. the outlook's median and 95 % bounds,
    indexed by their names) imply for Taiwan, with the population at its last published value: trips
    per resident, departures per resident were Japan's share to stay at its last published value, and
    Japan's share were departures per resident to stay at theirs."""
    last = factors.dropna(subset=["per_resident", "share", "mirror"]).iloc[-1]
    population = float(factors["population"].dropna().iloc[-1])
    departures_to_japan = totals.astype(float) / float(last["mirror"])
    return pd.DataFrame({
        "trips": totals.astype(float),
        "trips_per_resident": totals.astype(float) / population,
        "per_resident_at_last_share": departures_to_japan / float(last["share"]) / population,
        "share_at_last_per_resident": departures_to_japan / (float(last["per_resident"]) * population),
    }).rename_axis(f"{year}")


def history(factors: pd.DataFrame, first: int = HISTORY[0], last: int | None = None,
            leave_out=()) -> pd.DataFrame:
    """The same measures published for ``first`` … ``last`` (None: the last year with every part),
    ``leave_out`` years dropped (the closures): trips, trips per resident, departures per resident and
    Japan's share."""
    f = factors.dropna(subset=["per_resident", "share"]).loc[first:last]
    f = f.drop(list(leave_out), errors="ignore")
    return pd.DataFrame({"trips": f["arrivals_in_japan"], "trips_per_resident": f["trips_to_japan_per_resident"],
                         "per_resident": f["per_resident"], "share": f["share"]})
