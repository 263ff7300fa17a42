"""flows.forecast.joint: sample paths of several series with shocks correlated as their residuals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.forecast import joint
from flows.forecast import paths as fp

SEASONAL = np.log([0.8, 0.85, 1.1, 1.05, 0.95, 1.0, 1.25, 1.3, 0.95, 1.0, 0.9, 0.85])


def correlated_pair(rho: float, n: int = 120, seed: int = 0) -> dict[str, pd.Series]:
    """Two multiplicative seasonal series whose level shocks have correlation ``rho``."""
    rng = np.random.default_rng(seed)
    shocks = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=n) * 0.04
    t = np.arange(n)
    out = {}
    for k, (name, scale) in enumerate((("a", 500_000.0), ("b", 120_000.0))):
        log_y = np.log(scale) + 0.004 * t + SEASONAL[t % 12] + np.cumsum(shocks[:, k])
        out[name] = pd.Series(np.exp(log_y), index=pd.period_range("2010-01", periods=n, freq="M"))
    out["b"] = out["b"].iloc[:-2]  # the second series is published two months later
    return out


def annual_total_sd(paths: dict[str, pd.DataFrame], series: dict[str, pd.Series], year: int) -> float:
    total = fp.sum_paths(paths, series)
    return float(total.loc[f"{year}-01":f"{year}-12"].sum().std())


def test_correlated_shocks_widen_the_sum_of_positively_correlated_series():
    series = correlated_pair(0.8)
    together = joint.joint_sample_paths(series, "2021-12", 2000, seed=1)
    apart = joint.joint_sample_paths(series, "2021-12", 2000, seed=1, correlated=False)
    corr = together["a"].attrs["correlation"].loc["a", "b"]
    assert corr > 0.5, corr
    assert apart["a"].attrs["correlation"].loc["a", "b"] == 0
    assert annual_total_sd(together, series, 2021) > 1.1 * annual_total_sd(apart, series, 2021)
    # Each series on its own keeps its distribution: only how they move together changes.
    for name in series:
        a, b = together[name].loc["2021"].sum(), apart[name].loc["2021"].sum()
        assert a.median() == pytest.approx(b.median(), rel=0.02)
        assert a.std() == pytest.approx(b.std(), rel=0.1)


def test_unrelated_series_are_drawn_as_if_independent():
    series = correlated_pair(0.0, seed=3)
    together = joint.joint_sample_paths(series, "2021-12", 2000, seed=1)
    assert abs(together["a"].attrs["correlation"].loc["a", "b"]) < 0.25
    apart = joint.joint_sample_paths(series, "2021-12", 2000, seed=1, correlated=False)
    ratio = annual_total_sd(together, series, 2021) / annual_total_sd(apart, series, 2021)
    assert 0.85 < ratio < 1.15, ratio


def test_paths_start_after_each_series_and_share_the_end():
    series = correlated_pair(0.5)
    paths = joint.joint_sample_paths(series, "2020-06", 50, seed=2)
    assert paths["a"].index[0] == pd.Period("2020-01", "M")
    assert paths["b"].index[0] == pd.Period("2019-11", "M")
    assert all(p.index[-1] == pd.Period("2020-06", "M") and p.shape[1] == 50 for p in paths.values())
    with pytest.raises(ValueError, match="not after its last month"):
        joint.joint_sample_paths(series, "2019-12", 10)


def test_too_few_shared_months_means_independence():
    frame = joint.residual_correlation({"a": pd.Series([0.1, -0.2, 0.3]), "b": pd.Series([0.1, -0.2, 0.3])})
    np.testing.assert_allclose(frame.to_numpy(), np.eye(2))


def test_the_outlook_draws_both_directions_together():
    from flows.forecast import outlook as ol

    pair = correlated_pair(0.8)
    series = {ol.PARTS[0]: pair["a"], ol.PARTS[1]: pair["b"]}
    paths, independent, correlation = ol.draw_both(series, "2021-12", 2000, mask=())
    assert correlation > 0.5
    # Same seed: the first direction's paths are the same either way; only the second moves with it.
    pd.testing.assert_frame_equal(paths[ol.PARTS[0]], independent[ol.PARTS[0]])
    assert not paths[ol.PARTS[1]].equals(independent[ol.PARTS[1]])
    assert annual_total_sd(paths, series, 2021) > 1.1 * annual_total_sd(independent, series, 2021)
