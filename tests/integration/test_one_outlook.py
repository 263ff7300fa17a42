"""One outlook: notebook 04 sizes the load on the outlook `flows forecast` wrote, path for path."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from flows.analysis import table as tb
from flows.exchange_load.basis import traveller_basis
from flows.forecast.outlook_files import read_annual, read_paths
from flows.forecast.paths import with_history

REPO = Path(__file__).resolve().parents[2]
PROCESSED = REPO / "data" / "processed"
NOTEBOOK_04 = REPO / "notebooks" / "04_border_sharing_load.ipynb"
HEADER = "Travellers per year (thousands), 5th / 50th / 95th percentile of paths\n"


def printed_travellers(notebook: Path) -> pd.DataFrame:
    """The travellers table notebook 04 shows (its text form as committed, which nbval holds to a
    fresh run)."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
            if HEADER in text:
                return pd.read_csv(io.StringIO(text.split(HEADER, 1)[1]), sep=r"\s+")
    raise AssertionError(f"{notebook.name} prints no travellers table")


def test_notebook_04_travellers_are_the_outlooks():
    table = tb.load_table(PROCESSED)
    basis = traveller_basis(table, "tw_to_jp")
    first_year = tb.last_complete_year(basis.observed)
    travellers = with_history(read_paths(PROCESSED, "tw_to_jp") * basis.ratio, basis.observed, f"{first_year}-01")
    annual = travellers.groupby(travellers.index.year).sum().quantile([0.05, 0.5, 0.95], axis=1).T
    expected = (annual / 1000).round().astype(int).set_axis(["p05", "p50", "p95"], axis=1)
    pd.testing.assert_frame_equal(printed_travellers(NOTEBOOK_04), expected,
                                  check_names=False, check_index_type=False)


def test_the_annual_outlook_reaches_the_horizon_with_bounds_from_the_paths():
    annual = read_annual(PROCESSED).set_index(["direction", "year"])
    last = annual.loc[("tw_to_jp", 2030)]
    assert last["lower_95"] < last["lower_80"] < last["median"] < last["upper_80"] <= last["upper_95"]
    # Bounds of annual totals, not sums of monthly bounds: far narrower than the sum of the months' 95 % bounds.
    monthly = pd.read_csv(PROCESSED / "forecasts.csv", dtype={"month": str})
    months = monthly[(monthly["direction"] == "tw_to_jp") & monthly["month"].str.startswith("2030")]
    assert last["upper_95"] < months["upper_95"].sum()


def test_no_taiwan_to_japan_path_goes_beyond_the_ceiling_of_taiwans_history():
    """Issue 17: at most 2.5 % of paths beyond both parts at their largest five-year moves (about 16 M in 2030)."""
    from flows.forecast import outlook as ol

    table, annual = tb.load_table(PROCESSED), tb.load_annual(PROCESSED)
    as_of = table["month"].max()
    ceiling = ol.ceiling_for(table, annual, as_of)
    series = ol.build_series(table, as_of)["tw_to_jp"]
    totals = with_history(read_paths(PROCESSED, "tw_to_jp"), series, f"{as_of.year}-01")
    totals = totals.groupby(totals.index.year).sum()
    assert 15e6 < ceiling.loc[2030] < 17e6
    for year, cap in ceiling.items():
        assert (totals.loc[year] > cap + 12).mean() <= 0.025  # + rounding to whole persons a month


def test_notebook_03_prints_the_annual_outlook_of_the_paths_file():
    """Notebook 03 reads the outlook; its annual table is forecast_annual.csv's, path for path."""
    header = "Annual totals, thousands of visits (median, mean and central intervals of 1,000 paths)\n"
    rows, series = [], None
    for cell in json.loads((REPO / "notebooks" / "03_forecast.ipynb").read_text(encoding="utf-8"))["cells"]:
        text = "".join("".join(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
                       for o in cell.get("outputs", []))
        if header in text:
            for line in text.split(header, 1)[1].splitlines()[2:]:
                words = line.replace(",", "").split()
                series = words[0] if len(words) == 8 else series
                rows.append([series, *map(int, words[-7:])])
    assert rows, "notebook 03 prints no annual outlook"
    printed = pd.DataFrame(rows, columns=["series", "year", "median", "mean", "lower_80", "upper_80", "lower_95",
                                          "upper_95"]).set_index(["series", "year"])
    annual = read_annual(PROCESSED)
    tw = annual[annual["direction"] == "tw_to_jp"].set_index("year")
    shown = printed.loc["tw_to_jp"].loc[tw.index]
    for column in ("median", "lower_80", "upper_95"):
        assert ((shown[column] - tw[column] / 1000).abs() <= 1).all(), column
