"""Synthetic sample paths for the load model's tests (a helper module: two conftest modules collide
under ``pytest tests notebooks``)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def departure_paths(seed: int, n_paths: int, sigma: float = 0.15) -> pd.DataFrame:
    """Synthetic sample paths 2026-01 … 2027-12 near Taiwan's ~500,000 departures to Japan a month
    (the contract of flows.forecast.engine.sample_paths: months × path columns)."""
    months = pd.period_range("2026-01", "2027-12", freq="M")
    values = 500_000 * np.random.default_rng(seed).lognormal(0.0, sigma, size=(len(months), n_paths))
    return pd.DataFrame(values, index=months, columns=pd.RangeIndex(n_paths))
