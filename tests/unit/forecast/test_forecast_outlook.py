"""flows.forecast (outlook, paths, evaluation): totals from sample paths, threshold odds, the forecasts table and its file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.forecast import evaluation as ev
from flows.forecast import outlook as ol
from flows.forecast import paths as fp


def months(start: str, n: int) -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M", name="month")


def paths_frame(start: str, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(values, index=months(start, values.shape[0]), columns=pd.RangeIndex(values.shape[1]))


@pytest.fixture
def two_parts():
    """Direction A forecast from 2025-04, direction B from 2025-06; both to 2026-12, 4 paths."""
    rng = np.random.default_rng(1)
    a = paths_frame("2025-04", rng.uniform(100, 200, (21, 4)))
    b = paths_frame("2025-06", rng.uniform(10, 20, (19, 4)))
    observed = {"a": pd.Series(1000.0, index=months("2024-01", 15), name="a"),
                "b": pd.Series(50.0, index=months("2024-01", 17), name="b")}
    return {"a": a, "b": b}, observed


def test_sum_of_paths_uses_published_months_then_adds_path_by_path(two_parts):
    paths, observed = two_parts
    total = fp.sum_paths(paths, observed)
    assert total.index[0] == pd.Period("2025-04", "M") and total.index[-1] == pd.Period("2026-12", "M")
    # 2025-04/05: B is published (50), A is forecast.
    np.testing.assert_allclose(total.loc["2025-04"], paths["a"].loc["2025-04"] + 50.0)
    np.testing.assert_allclose(total.loc["2026-07"], paths["a"].loc["2026-07"] + paths["b"].loc["2026-07"])


def test_annual_totals_of_summed_paths_are_sums_of_each_paths_months(two_parts):
    paths, observed = two_parts
    total = fp.sum_paths(paths, observed)
    annual = fp.annual_paths(total, observed["a"] + observed["b"])
    assert list(annual.index) == [2025, 2026]
    # 2025: Jan–Mar published in both (1000 + 50), Apr–May A forecast + B published, then both forecast.
    expected_2025 = (3 * 1050.0 + paths["a"].loc["2025-04":"2025-12"].sum()
                     + 2 * 50.0 + paths["b"].loc["2025-06":"2025-12"].sum())
    np.testing.assert_allclose(annual.loc[2025], expected_2025)
    np.testing.assert_allclose(annual.loc[2026], paths["a"].loc["2026"].sum() + paths["b"].loc["2026"].sum())
    # The total's annual paths equal the sum of the parts' annual paths, path by path.
    start = total.index.min()
    parts = [fp.annual_paths(paths[k], observed[k], start) for k in paths]
    pd.testing.assert_frame_equal(annual, parts[0] + parts[1])


def test_annual_paths_drop_incomplete_years():
    p = paths_frame("2025-04", np.ones((15, 3)))  # 2025-04 → 2026-06
    assert list(fp.annual_paths(p).index) == []
    assert list(fp.annual_paths(p, pd.Series(2.0, index=months("2024-01", 15))).index) == [2025]
    np.testing.assert_allclose(fp.annual_paths(p, pd.Series(2.0, index=months("2024-01", 15))).loc[2025], 15.0)


def test_a_month_neither_published_nor_forecast_is_an_error():
    p = paths_frame("2025-04", np.ones((9, 2)))
    with pytest.raises(ValueError, match="neither observed nor forecast"):
        fp.with_history(p, pd.Series(1.0, index=months("2025-01", 2), name="x"), "2025-01")


def test_summed_paths_must_share_horizon():
    a = paths_frame("2025-01", np.ones((12, 2)))
    b = paths_frame("2025-01", np.ones((13, 2)))
    with pytest.raises(ValueError, match="share the last month"):
        fp.sum_paths({"a": a, "b": b}, {})


def test_summary_quantiles_are_ordered_and_mean_is_path_mean():
    rng = np.random.default_rng(0)
    p = paths_frame("2026-01", rng.lognormal(10, 0.3, (6, 2000)))
    s = fp.summarise_paths(p)
    assert list(s.columns) == ["median", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    np.testing.assert_allclose(s["median"], p.median(axis=1))
    assert (s["median"] < s["mean"]).all()  # log-normal paths: the median sits below the mean
    assert (s["lower_95"] <= s["lower_80"]).all() and (s["lower_80"] <= s["upper_80"]).all()
    assert (s["upper_80"] <= s["upper_95"]).all()
    np.testing.assert_allclose(s["mean"], p.mean(axis=1))


def test_threshold_probabilities_fall_as_the_threshold_rises():
    rng = np.random.default_rng(3)
    annual = pd.DataFrame(rng.normal(9e6, 1e6, (5, 1000)), index=pd.Index(range(2026, 2031), name="year"))
    prob = fp.threshold_probabilities(annual, (8e6, 9e6, 10e6))
    assert list(prob.columns) == [8e6, 9e6, 10e6]
    assert ((prob.diff(axis=1).iloc[:, 1:]) <= 0).all().all()
    assert prob.to_numpy().min() >= 0 and prob.to_numpy().max() <= 1
    exact = pd.DataFrame([[1.0, 2.0, 3.0, 4.0]], index=[2030])
    assert fp.threshold_probabilities(exact, (2.0,)).loc[2030, 2.0] == 0.75  # "reaches" includes equality


def test_first_year_likely():
    p = pd.Series([0.2, 0.5, 0.9], index=[2028, 2029, 2030])
    assert fp.first_year_likely(p) == 2029
    assert fp.first_year_likely(p, 0.95) is None


def test_comonotone_sum_keeps_the_mean_and_widens_the_spread():
    rng = np.random.default_rng(5)
    a = pd.DataFrame(rng.normal(10, 1, (2, 4000)), index=[2029, 2030])
    b = pd.DataFrame(rng.normal(5, 1, (2, 4000)), index=[2029, 2030])
    dependent, independent = fp.comonotone_sum(a, b), a + b
    np.testing.assert_allclose(dependent.mean(axis=1), independent.mean(axis=1))
    assert (dependent.std(axis=1) > independent.std(axis=1)).all()


def _summaries():
    rng = np.random.default_rng(7)
    return {"jp_to_tw": fp.summarise_paths(paths_frame("2025-04", rng.uniform(1e5, 2e5, (9, 50)))),
            "tw_to_jp": fp.summarise_paths(paths_frame("2026-03", rng.uniform(4e5, 6e5, (10, 50))))}


def test_forecast_table_is_tidy_sorted_and_rounded():
    frame = ol.forecast_table(_summaries(), "2026-02", "v1")
    assert list(frame.columns) == ol.COLUMNS
    assert len(frame) == 9 + 10
    keyed = frame[["direction", "origin", "destination", "measure"]].drop_duplicates().values.tolist()
    assert keyed == [["jp_to_tw", "JP", "TW", "visitor_arrivals"], ["tw_to_jp", "TW", "JP", "visitor_arrivals"]]
    assert frame.equals(frame.sort_values(["direction", "month"]).reset_index(drop=True))
    assert frame["month"].iloc[0] == "2025-04" and (frame["as_of"] == "2026-02").all()
    assert (frame["method_version"] == "v1").all()
    for col in ol.VALUES:
        assert frame[col].dtype == "int64"
    assert (frame["lower_95"] <= frame["lower_80"]).all() and (frame["upper_80"] <= frame["upper_95"]).all()


def test_the_csv_text_is_deterministic_and_reads_back(tmp_path):
    frame = ol.forecast_table(_summaries(), "2026-02", "v1")
    first = ol.to_csv_text(frame[ol.COLUMNS])
    assert first == ol.to_csv_text(ol.forecast_table(_summaries(), "2026-02", "v1")[ol.COLUMNS])
    assert first.startswith("direction,origin,destination,measure,month,median,mean,lower_80,upper_80,lower_95,"
                            "upper_95,as_of,method_version\n")
    assert "\r" not in first
    (tmp_path / ol.FORECASTS).write_text(first, encoding="utf-8")
    pd.testing.assert_frame_equal(ol.read_forecasts(tmp_path), frame)


def test_report_reads_the_written_file(tmp_path):
    from flows.site.figures import read_outlook

    frame = ol.forecast_table(_summaries(), "2026-02", "v1")
    path = tmp_path / ol.FORECASTS
    path.write_text(ol.to_csv_text(frame[ol.COLUMNS]), encoding="utf-8")
    rows, note, _ = read_outlook(path, "2026-12")
    assert note is None
    tw = next(r for r in rows if r.direction == "tw_to_jp")
    assert tw.month == "2026-12" and tw.as_of == "2026-02"


def seasonal_series(n: int = 96) -> pd.Series:
    idx = months("2015-01", n)
    rng = np.random.default_rng(11)
    values = 1000 * (1 + 0.3 * np.sin(2 * np.pi * np.arange(n) / 12)) * np.exp(rng.normal(0, 0.05, n))
    return pd.Series(values, index=idx, name="test")


def test_draw_paths_reaches_the_horizon_and_is_seeded():
    y = seasonal_series()
    a = ol.draw_paths(y, "2024-06", n_paths=20, seed=3, method="snaive", mask=())
    b = ol.draw_paths(y, "2024-06", n_paths=20, seed=3, method="snaive", mask=())
    assert a.index[0] == pd.Period("2023-01", "M") and a.index[-1] == pd.Period("2024-06", "M")
    assert a.shape == (18, 20)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="not after the last month"):
        ol.horizon(y, "2022-12")


def test_masked_months_become_missing():
    y = seasonal_series()
    m = ev.masked(y, (("2016-02", "2016-04"),))
    assert m.loc["2016-02":"2016-04"].isna().all() and m.notna().sum() == len(y) - 3
    assert y.notna().all()  # the input is left alone
