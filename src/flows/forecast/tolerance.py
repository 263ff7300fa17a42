"""When two runs of the forecast are the same outlook: the tolerances that hold across CPUs.

The fits go through BLAS, whose kernels are chosen for the CPU at run time, and the optimisers land a
hair apart. Measured on this project's table against the default kernel: another kernel
(``OPENBLAS_CORETYPE=Prescott``) moved the figures of ``forecasts.csv`` by up to 0.25 % and those of
the long run's backtest by up to 0.04 %; the vintage backfilled as of 2023-12 (12 months after the
closure, where the SARIMA forecasts alone on a flat likelihood) by up to 1.7 % (Haswell, Prescott);
another kernel and the test's nudge of the inputs together (× 1 + 1e-9·u) far months' medians by up
to 0.51 % and bounds by up to 1.1 % (Sandybridge). The integers of the build are compared byte for
byte; the forecasts are compared here, column by column, with tolerances that say what they protect,
about twice the largest moves seen:

- the published point (``median``) and the ``mean``: within 1 % (:data:`POINT`);
- the 80 % and 95 % bounds, and each sample path's value: within 2 % (:data:`BOUND`);
- a backtest's CRPS: within 2 %;
- everything else (series, months, as-of, method, the published actuals): equal.

A changed method or a real change of data moves the figures further (Taiwan → Japan's newest month
+5 % moves the next months' medians by 2.4 %), so it still counts as a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

POINT = 0.01
BOUND = 0.02
BOUNDS = ("lower_80", "upper_80", "lower_95", "upper_95")


@dataclass(frozen=True)
class Tolerance:
    """How one output file is compared: ``relative`` tolerances by column; every other column must be
    equal."""

    relative: dict[str, float]


def _relative(values: Sequence[str]) -> dict[str, float]:
    return {c: (BOUND if c in BOUNDS else POINT) for c in values}


FORECASTS = Tolerance(_relative(["median", "mean", *BOUNDS]))
VINTAGES = Tolerance(_relative(["mean", *BOUNDS]))
PANEL_BACKTEST = Tolerance({**_relative(["mean", "median", *BOUNDS]), "crps": BOUND})


def differences(new: pd.DataFrame, old: pd.DataFrame, tolerance: Tolerance, limit: int = 3) -> list[str]:
    """What differs between two versions of one output beyond ``tolerance`` (at most ``limit``
    examples, plus a count): an empty list when they are the same outlook."""
    if list(new.columns) != list(old.columns):
        return [f"columns differ: {list(old.columns)} → {list(new.columns)}"]
    if len(new) != len(old):
        return [f"{len(old)} rows → {len(new)} rows"]
    new, old = new.reset_index(drop=True), old.reset_index(drop=True)
    exact = [c for c in new.columns if c not in tolerance.relative]
    bad = pd.Series(False, index=new.index)
    for col in exact:
        bad |= ~_equal(new[col], old[col])
    reasons = pd.Series("", index=new.index)
    reasons[bad] = "keys differ"
    for col, tol in tolerance.relative.items():
        a, b = new[col].astype(float).to_numpy(), old[col].astype(float).to_numpy()
        gap = np.abs(a - b)
        allowed = tol * np.abs(b)
        off = ~((gap <= allowed) | (np.isnan(a) & np.isnan(b)))
        reasons[off & ~bad] = [f"{col} {y:g} → {x:g}" for x, y in zip(a[off & ~bad], b[off & ~bad])]
        bad |= off
    if not bad.any():
        return []
    first = [f"row {i + 2}: {reasons[i]}" for i in np.flatnonzero(bad.to_numpy())[:limit]]
    more = int(bad.sum()) - len(first)
    return first + ([f"and {more} more row(s)"] if more else [])


def _equal(a: pd.Series, b: pd.Series) -> pd.Series:
    """Element by element, missing equal to missing; numbers compared as numbers, others as text."""
    missing = a.isna() & b.isna()
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        return missing | (a.astype(float) == b.astype(float))
    return missing | (a.astype(object).astype(str) == b.astype(object).astype(str))
