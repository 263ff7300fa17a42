"""forecast: monthly forecasts with intervals and sample paths, backtests, and the outlook file."""

from flows.forecast.engine import backtest, forecast, sample_paths  # noqa: F401 (the public API)
