"""The quantiles across paths the load reports, and their column names."""

from __future__ import annotations

INTERVAL = (0.05, 0.95)  # the interval reported everywhere: 90 % of paths
QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)


def qname(q: float) -> str:
    """Column name of a quantile: 0.05 -> "p05", 0.5 -> "p50"."""
    return f"p{round(100 * q):02d}"
