"""Taiwan → Japan taken apart: Taiwan's departures, Japan's share of them, trips per resident (the ceiling's inputs).

Taiwan → Japan trips in a year are taken apart as

    JNTO arrivals of Taiwanese = population × departures per resident × Japan's share × mirror ratio

- **departures** (``TW→ALL national_departures``) and **departures to Japan** (``TW→JP
  national_departures``): Taiwan's count of nationals leaving, by first destination (Tourism
  Administration). Whole years of the monthly Table 2-2 (2018 →) where the table holds all twelve
  months, else the published annual figures the build carries in ``annual_flows.csv`` (2002 →);
  the build has checked that the two agree where both exist.
- **Japan's share** = departures to Japan / departures (Taiwan's first-destination count).
- **mirror ratio** = JNTO's arrivals of Taiwanese nationals / Taiwan's departures to Japan: the same
  trips counted at the other end, by nationality rather than first destination (1.03–1.10 in
  2002–2008, 0.87–0.99 in 2009–2018, about 1.00 since 2019).
- **population**: Taiwan's registered population at the end of the year (Ministry of the Interior,
  ``data/taiwan_population.csv``; its sidecar cites the source).

Also the published targets used as reference lines (``data/published_targets.csv``).
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from flows.analysis import table as tb
from flows.errors import RawFileError
from flows.vocabulary import JP_TO_TW_TAIWAN, TW_TO_JP_JNTO, TW_TO_JP_TAIWAN

TW_DEPARTURES = ("TW", "ALL", "national_departures")
COLUMNS = ["population", "departures", "departures_to_japan", "arrivals_in_japan",
           "per_resident", "share", "mirror", "trips_to_japan_per_resident"]


def _data_file(name: str):
    return resources.files("flows") / "data" / name


def population() -> pd.Series:
    """Taiwan's year-end registered population (persons) by year, from ``data/taiwan_population.csv``."""
    path = _data_file("taiwan_population.csv")
    with path.open(encoding="utf-8") as f:
        frame = pd.read_csv(f, dtype={"year": "int64", "population": "int64"}, keep_default_na=False)
    years = frame["year"].to_numpy()
    if len(years) == 0 or (np.diff(years) != 1).any() or (frame["population"] <= 0).any():
        raise RawFileError(str(path), "expected one positive population per year, years consecutive")
    return pd.Series(frame["population"].to_numpy(), index=pd.Index(years, name="year"), name="population")


def published_targets() -> pd.DataFrame:
    """Published targets (``data/published_targets.csv``): year, series, value, who said it and where."""
    with _data_file("published_targets.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"year": "int64", "value": "int64"}, keep_default_na=False)


def target(origin: str, destination: str, measure: str = "visitor_arrivals") -> pd.Series:
    """The published targets of one series as a Series by year (empty when none)."""
    t = published_targets()
    t = t[(t["origin"] == origin) & (t["destination"] == destination) & (t["measure"] == measure)]
    return pd.Series(t["value"].to_numpy(dtype=float), index=pd.Index(t["year"].to_numpy(), name="year"),
                     name=f"{origin}→{destination} {measure} target")


def complete_years(monthly: pd.Series, as_of: pd.Period) -> pd.Series:
    """Calendar-year totals of the months up to ``as_of``, complete years only (index: year)."""
    return tb.annual_totals(monthly[monthly.index <= as_of].astype(float))


def yearly(table: pd.DataFrame, annual: pd.DataFrame, key: tuple[str, str, str], as_of: pd.Period) -> pd.Series:
    """Annual totals of one series known at ``as_of``: complete years of the monthly table, and before
    them the annual figures (a year's annual figure counts once its December is at or before ``as_of``)."""
    from_months = complete_years(tb.series(table, *key), as_of) if tb.has_series(table, *key) \
        else pd.Series(dtype=float)
    from_annual = tb.annual_series(annual, *key).astype(float)
    from_annual = from_annual[from_annual.index <= (as_of.year if as_of.month == 12 else as_of.year - 1)]
    joined = pd.concat([from_annual[~from_annual.index.isin(from_months.index)], from_months]).sort_index()
    return joined.rename(tb.series_label(*key))


def taiwan_factors(table: pd.DataFrame, annual: pd.DataFrame, as_of: str | pd.Period | None = None) -> pd.DataFrame:
    """Taiwan → Japan taken apart by year (columns :data:`COLUMNS`), from what is known at ``as_of``
    (None: the table's latest month). Years lack a value (NaN) where an input is not published."""
    as_of = tb.latest_month(table, as_of)
    frame = pd.DataFrame({
        "departures": yearly(table, annual, TW_DEPARTURES, as_of),
        "departures_to_japan": yearly(table, annual, tuple(TW_TO_JP_TAIWAN), as_of),
        "arrivals_in_japan": complete_years(tb.series(table, *TW_TO_JP_JNTO), as_of),
    })
    first = frame["departures"].first_valid_index()  # the parts begin with Taiwan's departures (2002)
    if first is None:
        raise ValueError(f"no year of Taiwan's departures is known at {as_of}")
    frame = frame.loc[first:]
    pop = population()
    frame.insert(0, "population", pop.reindex(frame.index).astype(float))
    frame["per_resident"] = frame["departures"] / frame["population"]
    frame["share"] = frame["departures_to_japan"] / frame["departures"]
    frame["mirror"] = frame["arrivals_in_japan"] / frame["departures_to_japan"]
    frame["trips_to_japan_per_resident"] = frame["arrivals_in_japan"] / frame["population"]
    frame.index.name = "year"
    return frame[COLUMNS]


def japan_to_taiwan(table: pd.DataFrame, as_of: str | pd.Period | None = None) -> pd.Series:
    """Japan → Taiwan arrivals per complete year known at ``as_of`` (Taiwan's count, from 2011).

    No decomposition is possible here: Japan's outbound departures (by destination) are not among the
    project's sources, and Taiwan's total arrivals reach back only to 2019 in the table.
    """
    as_of = tb.latest_month(table, as_of)
    return complete_years(tb.series(table, *JP_TO_TW_TAIWAN), as_of).rename("arrivals_in_taiwan")
