"""What each long-run choice implies: trips per resident, Japan's share, Taiwan's departures.

For a choice's annual paths of Taiwan → Japan trips (JNTO's count), the departures from Taiwan they
imply are ``trips / (Japan's share × mirror ratio)``:

- ``annual view``: its own share and mirror paths (its departures are then exactly its own);
- ``engine``: the monthly engine knows nothing of departures, so the share and mirror ratio are
  held at their last published values — what its trips would mean if Japan's share stayed put;
- ``combination``: the pool of the two, path by path as the trips were pooled
  (:func:`flows.forecast.longrun.pool`).

Per resident: divided by Taiwan's last published population (:func:`flows.forecast.annual_inputs.population`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from flows.forecast import longrun as lr
from flows.forecast.paths import annual_paths

MEASURES = {"trips": "trips to Japan", "trips_per_resident": "trips to Japan per resident",
            "share": "Japan's share of departures", "departures": "departures from Taiwan",
            "departures_per_resident": "departures per resident"}


def annual_choices(choices: Mapping[str, pd.DataFrame], observed: pd.Series) -> dict[str, pd.DataFrame]:
    """Calendar-year totals of each choice's monthly paths (published months of the first forecast
    year added), complete years only."""
    return {name: annual_paths(p, observed, p.index.min()) for name, p in choices.items()}


def implied(annual: Mapping[str, pd.DataFrame], view: lr.AnnualView, weights: Mapping[str, float]) -> dict[str, dict[str, pd.DataFrame]]:
    """Per choice, annual paths of every quantity of :data:`MEASURES` over the years the annual view
    forecasts and the choices share."""
    history = view.history
    parts = {p.part.name: p for p in view.fits}
    population = float(history["population"].dropna().iloc[-1])
    years = view.trips.index.intersection(next(iter(annual.values())).index)
    held = {name: float(history.loc[parts[name].last_year, name]) for name in ("share", "mirror")}
    like = view.trips.loc[years]
    share = {lr.ANNUAL_VIEW: view.parts["share"].loc[years],
             lr.ENGINE: pd.DataFrame(held["share"], index=years, columns=like.columns)}
    mirror = {lr.ANNUAL_VIEW: view.parts["mirror"].loc[years],
              lr.ENGINE: pd.DataFrame(held["mirror"], index=years, columns=like.columns)}
    share[lr.COMBINATION], mirror[lr.COMBINATION] = lr.pool(share, weights), lr.pool(mirror, weights)
    out = {}
    for name, trips in annual.items():
        trips = trips.loc[years]
        departures = trips / (share[name] * mirror[name])
        out[name] = {"trips": trips, "trips_per_resident": trips / population, "share": share[name],
                     "departures": departures, "departures_per_resident": departures / population}
    return out


def in_year(quantities: Mapping[str, Mapping[str, pd.DataFrame]], year: int) -> pd.DataFrame:
    """One year of :func:`implied`: rows (choice, measure), columns ``mean``, ``p10``, ``p90``
    (the 80 % interval of the paths)."""
    rows = {}
    for choice, frames in quantities.items():
        for measure, frame in frames.items():
            values = frame.loc[year].to_numpy(dtype=float)
            rows[choice, measure] = {"mean": values.mean(), "p10": np.quantile(values, 0.1),
                                     "p90": np.quantile(values, 0.9)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(["choice", "measure"])


def history(factors: pd.DataFrame, leave_out=()) -> pd.DataFrame:
    """The same quantities for the published years (columns of :data:`MEASURES`); years in
    ``leave_out`` (e.g. the border closures) are blank."""
    out = pd.DataFrame({"trips": factors["arrivals_in_japan"],
                        "trips_per_resident": factors["trips_to_japan_per_resident"],
                        "share": factors["share"], "departures": factors["departures"],
                        "departures_per_resident": factors["per_resident"]})
    out.loc[out.index.isin(list(leave_out))] = np.nan
    return out


def comparison(history_: pd.DataFrame, at_year: pd.DataFrame, years, year: int) -> pd.DataFrame:
    """Published ``years`` beside each choice's ``year`` as text: trips and departures in millions,
    per resident to two decimals, Japan's share in percent; a choice's mean with its 80 % interval."""
    def fmt(measure: str, value: float) -> str:
        if measure in ("trips", "departures"):
            return f"{value / 1e6:.1f}"
        return f"{100 * value:.0f} %" if measure == "share" else f"{value:.2f}"

    rows = {f"{y} published": {MEASURES[m]: fmt(m, history_.loc[y, m]) for m in MEASURES} for y in years}
    for choice in dict.fromkeys(at_year.index.get_level_values("choice")):
        cells = {}
        for m in MEASURES:
            r = at_year.loc[(choice, m)]
            unit = " %" if m == "share" else ""
            spread = "held" if r["p10"] == r["p90"] else f"{fmt(m, r['p10'])}–{fmt(m, r['p90'])}".replace(" %", "")
            cells[MEASURES[m]] = f"{fmt(m, r['mean']).replace(' %', '')}{unit} ({spread})"
        rows[f"{year} {choice}"] = cells
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.columns = [c.replace("trips to Japan", "trips to Japan (M)").replace("departures from Taiwan", "departures (M)")
                   if c in ("trips to Japan", "departures from Taiwan") else c for c in out.columns]
    return out
