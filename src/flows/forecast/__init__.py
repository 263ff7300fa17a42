"""forecast: monthly forecasts with intervals and sample paths, backtests, the long run, and the outlook files."""

from flows.forecast.engine import forecast, sample_paths  # noqa: F401 (the public API)
from flows.forecast.rolling import backtest  # noqa: F401
