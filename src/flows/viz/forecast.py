"""Figures of the forecast notebook (03): backtest scores, fan charts, annual outlook, threshold odds,
the long run's calibration on the panel, and the forecast vintages.

Drawn on the house template of :mod:`flows.viz.theme` with its source line; the numbers come from
:mod:`flows.forecast.evaluation` and :mod:`flows.forecast.paths` (which read :mod:`flows.forecast.engine`).
Nothing here computes statistics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from flows.forecast.spec import MEMBER_NAMES
from flows.viz import theme

METHOD_LABELS = {"combo": f"combination ({MEMBER_NAMES})", "ets": "ETS (damped)", "arima": "SARIMA (mean-reverting growth)",
                 "theta": "Theta", "uc": "unobserved components", "snaive": "seasonal naive"}
METHOD_COLORS = {"combo": "#1f5aa6", "ets": "#56b4e9", "arima": "#009e73", "theta": "#8c6bb1",
                 "uc": "#e69f00", "snaive": "#8c8c8c"}
PERSONS_MONTH = theme.PERSONS
PERSONS_YEAR = "visits per year (persons)"


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def backtest_chart(by_horizon: pd.DataFrame, title: str, metric: str = "mase",
                   y_title: str = "MASE (mean absolute error ÷ in-sample seasonal-naive error)") -> go.Figure:
    """``metric`` by forecast horizon, one line per method, one panel per regime.

    Each panel is named inside its top left corner, over head room left free of data (a name above a
    panel would sit on the legend). ``by_horizon``:
    :func:`flows.forecast.evaluation.backtest_summary` with ``by=("regime", "method", "horizon")``."""
    regimes = list(dict.fromkeys(by_horizon["regime"]))
    fig = theme.new_subplots(rows=1, cols=len(regimes), shared_yaxes=True, horizontal_spacing=0.05)
    for col, regime in enumerate(regimes, start=1):
        part = by_horizon[by_horizon["regime"] == regime]
        for method, g in part.groupby("method", sort=False):
            name = METHOD_LABELS.get(method, method)
            fig.add_scatter(x=g["horizon"], y=g[metric], mode="lines+markers", name=name, legendgroup=method,
                            showlegend=col == 1, line=dict(color=METHOD_COLORS.get(method)),
                            customdata=g["n"],
                            hovertemplate=f"{regime}<br>%{{x}} months ahead: %{{y:.2f}} "
                                          f"(%{{customdata}} forecasts)<extra>{name}</extra>",
                            row=1, col=col)
        fig.update_xaxes(title_text="months ahead", dtick=3, row=1, col=col)
        suffix = "" if col == 1 else str(col)
        fig.add_annotation(text=f"<b>{regime}</b>", xref=f"x{suffix} domain", yref=f"y{suffix} domain", x=0.02, y=1,
                           xanchor="left", yanchor="top", showarrow=False, font=dict(size=13), name="panel")
    top = float(pd.to_numeric(by_horizon[metric], errors="coerce").max())
    fig.update_yaxes(range=[0, 1.3 * top] if top > 0 else None)
    fig = theme.finish(fig, title, y_title=y_title, height=520,
                       note="Border-closure months 2020-02 → 2022-12 are masked: neither fitted nor scored.")
    return fig


def fan_chart(history: pd.Series, summary: pd.DataFrame, title: str, color: str | None = None,
              y_title: str = PERSONS_MONTH, history_start: str | None = "2015-01", note: str | None = None,
              levels: Sequence[int] = (95, 80)) -> go.Figure:
    """Observed months, then the forecast mean with its central intervals (widest first).

    ``summary``: :func:`flows.forecast.paths.summarise_paths` of monthly paths (index: months)."""
    color = color or theme.COLORS["two_way"]
    fig = theme.new_figure()
    if history_start is not None:
        history = history.loc[pd.Period(history_start, "M"):]
    x = theme.x_values(summary.index)
    for level, alpha in zip(levels, (0.15, 0.3)):
        lo, hi = summary[f"lower_{level}"], summary[f"upper_{level}"]
        fig.add_scatter(x=x, y=hi, mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip",
                        legendgroup=f"pi{level}")
        fig.add_scatter(x=x, y=lo, mode="lines", line=dict(width=0), fill="tonexty",
                        fillcolor=_rgba(color, alpha), name=f"{level} % interval", legendgroup=f"pi{level}",
                        customdata=hi, hovertemplate=f"%{{x|%b %Y}}<br>{level} %: %{{y:,.0f}} – "
                                                     f"%{{customdata:,.0f}} persons<extra></extra>")
    fig.add_scatter(x=theme.x_values(history.index), y=history, mode="lines", name="observed",
                    line=dict(color=color, width=1.5),
                    hovertemplate="%{x|%b %Y}<br>%{y:,.0f} persons<extra>observed</extra>")
    fig.add_scatter(x=x, y=summary["mean"], mode="lines", name="forecast mean",
                    line=dict(color=color, width=2, dash="dash"),
                    hovertemplate="%{x|%b %Y}<br>%{y:,.0f} persons<extra>forecast mean</extra>")
    return theme.finish(fig, title, y_title=y_title, x_title="month", note=note)


def annual_outlook_chart(observed: pd.Series, summary: pd.DataFrame, title: str,
                         thresholds: Sequence[float] = (), color: str | None = None,
                         reference: Mapping[str, pd.Series] | None = None, note: str | None = None) -> go.Figure:
    """Observed calendar-year totals (bars) and forecast years (mean with 80 % and 95 % intervals),
    dashed lines at ``thresholds`` (named together in the legend); ``reference``: label → extra annual
    series drawn as lines."""
    color = color or theme.COLORS["two_way"]
    fig = theme.new_figure()
    fig.add_bar(x=observed.index.astype(str).tolist(), y=observed, name="observed", marker_color=_rgba(color, 0.5),
                hovertemplate="%{x}: %{y:,.0f} persons<extra>observed</extra>")
    years = summary.index.astype(str).tolist()
    for level, width in ((95, 1.5), (80, 5)):
        fig.add_scatter(x=years, y=summary["mean"], mode="markers", marker=dict(size=0.1, color=color),
                        showlegend=False, hoverinfo="skip",
                        error_y=dict(type="data", symmetric=False, thickness=width, width=0, color=color,
                                     array=summary[f"upper_{level}"] - summary["mean"],
                                     arrayminus=summary["mean"] - summary[f"lower_{level}"]))
    fig.add_scatter(x=years, y=summary["mean"], mode="markers", name="forecast mean, 80 % and 95 % intervals",
                    marker=dict(size=9, color=color, symbol="diamond"),
                    customdata=summary[["lower_80", "upper_80", "lower_95", "upper_95"]].to_numpy(),
                    hovertemplate="%{x}: %{y:,.0f} persons<br>80 %: %{customdata[0]:,.0f} – %{customdata[1]:,.0f}"
                                  "<br>95 %: %{customdata[2]:,.0f} – %{customdata[3]:,.0f}<extra>forecast</extra>")
    for label, values in (reference or {}).items():
        fig.add_scatter(x=values.index.astype(str).tolist(), y=values, mode="lines+markers", name=label,
                        line=dict(color=theme.COLORS["other"], dash="dot"),
                        hovertemplate=f"%{{x}}: %{{y:,.0f}} persons<extra>{label}</extra>")
    if len(thresholds):  # one legend entry for all of them: labels on lines this close would collide
        first, last = min(observed.index.min(), summary.index.min()), max(observed.index.max(), summary.index.max())
        x = [v for _ in thresholds for v in (str(first), str(last), None)]
        y = [v for t in thresholds for v in (t, t, None)]
        names = ", ".join(f"{t / 1e6:g}" for t in thresholds[:-1]) + (" and " if len(thresholds) > 1 else "")
        fig.add_scatter(x=x, y=y, mode="lines", name=f"{names}{thresholds[-1] / 1e6:g} million",
                        line=dict(color="#999999", width=1, dash="dash"),
                        hovertemplate="%{y:,.0f} persons<extra>threshold</extra>")
    return theme.finish(fig, title, y_title=PERSONS_YEAR, x_title="year", note=note)


def threshold_chart(probabilities: pd.DataFrame, title: str,
                    sensitivity: pd.DataFrame | None = None, note: str | None = None) -> go.Figure:
    """Probability (%) that the annual total reaches each threshold, by year; one line per threshold.

    ``probabilities``: :func:`flows.forecast.paths.threshold_probabilities` (values 0–1, columns thresholds);
    ``sensitivity``: the same under another dependence assumption, drawn dotted."""
    fig = theme.new_figure()
    years = probabilities.index.astype(str).tolist()
    for i, t in enumerate(probabilities.columns):
        color = theme.COLORWAY[i % len(theme.COLORWAY)]
        name = f"≥ {t / 1e6:g} million"
        fig.add_scatter(x=years, y=100 * probabilities[t], mode="lines+markers", name=name, legendgroup=name,
                        line=dict(color=color), hovertemplate=f"%{{x}}: %{{y:.0f}} %<extra>{name}</extra>")
        if sensitivity is not None:
            fig.add_scatter(x=years, y=100 * sensitivity[t], mode="lines", name=f"{name}, common shocks",
                            legendgroup=name, line=dict(color=color, dash="dot", width=1),
                            hovertemplate=f"%{{x}}: %{{y:.0f}} %<extra>{name}, perfectly dependent</extra>")
    fig.update_yaxes(range=[0, 100], ticksuffix=" %")
    return theme.finish(fig, title, y_title="probability of reaching the threshold (%)", x_title="year",
                        note=note)


# --- the long run's calibration (notebook 03) and the vintages ----------------------------------------------------

CHOICE_LABELS = {"engine": f"monthly engine as drawn ({MEMBER_NAMES})", "outlook": "outlook (long run set on the travel panel)",
                 "no change": "no change (last year carried on)"}
CHOICE_COLORS = {"engine": "#1f5aa6", "outlook": "#4d4d4d", "no change": "#8c8c8c"}


def calibration_chart(coverage: pd.DataFrame, title: str, note: str | None = None) -> go.Figure:
    """Share of outcomes inside the 80 % and 95 % intervals of annual totals by years ahead, one line per
    variant (columns ``variant``, ``horizon``, ``coverage_80``, ``coverage_95``: shares 0–1), with the
    nominal levels as dotted lines."""
    fig = theme.new_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                             subplot_titles=["inside the 95 % interval", "inside the 80 % interval"])
    colors = [theme.COLORS["other"], theme.COLORS["tw_to_jp"], theme.COLORS["jp_to_tw"]]
    for (variant, g), color in zip(coverage.groupby("variant", sort=False), colors * 2):
        for col, level in ((1, 95), (2, 80)):
            fig.add_scatter(x=g["horizon"], y=100 * g[f"coverage_{level}"], mode="lines+markers", name=variant,
                            legendgroup=variant, showlegend=col == 1, line=dict(color=color),
                            hovertemplate=f"%{{x}} years ahead: %{{y:.1f}} % inside<extra>{variant}</extra>",
                            row=1, col=col)
    for col, level in ((1, 95), (2, 80)):
        fig.add_hline(y=level, line=dict(color="#999999", width=1, dash="dot"), row=1, col=col)
    fig.update_xaxes(title_text="years ahead", dtick=1)
    fig.update_yaxes(ticksuffix=" %", range=[40, 100])
    fig.update_yaxes(title_text="share of outcomes", row=1, col=1)
    for annotation in fig.layout.annotations:
        annotation.update(font=dict(size=13))
    return theme.finish(fig, title, note=note)


def choices_chart(observed: pd.Series, summaries: Mapping[str, pd.DataFrame], title: str,
                  reference: Mapping[str, pd.Series] | None = None, note: str | None = None,
                  labels: Mapping[str, str] | None = None) -> go.Figure:
    """Published calendar-year totals (bars) and, per set of paths (the outlook, the engine as drawn), the
    forecast mean with its 80 % interval (markers side by side); ``reference``: label → values by year drawn as stars (a target);
    ``labels``: legend names replacing :data:`CHOICE_LABELS`.

    ``summaries``: choice → :func:`flows.forecast.paths.summarise_paths` of annual paths (index: years)."""
    fig = theme.new_figure()
    fig.add_bar(x=observed.index.astype(int).tolist(), y=observed, name="published",
                marker_color=_rgba(theme.COLORS["other"], 0.45),
                hovertemplate="%{x}: %{y:,.0f} persons<extra>published</extra>")
    offsets = np.linspace(-0.25, 0.25, len(summaries)) if len(summaries) > 1 else [0.0]
    for (choice, summary), shift in zip(summaries.items(), offsets):
        name = (labels or {}).get(choice, CHOICE_LABELS.get(choice, choice))
        color = CHOICE_COLORS.get(choice, theme.COLORS["two_way"])
        fig.add_scatter(x=summary.index.astype(int) + shift, y=summary["mean"], mode="markers+lines", name=name,
                        marker=dict(size=8, color=color), line=dict(color=color, width=1, dash="dot"),
                        error_y=dict(type="data", symmetric=False, thickness=2, width=3, color=color,
                                     array=summary["upper_80"] - summary["mean"],
                                     arrayminus=summary["mean"] - summary["lower_80"]),
                        customdata=summary[["lower_80", "upper_80"]].to_numpy(),
                        hovertemplate="%{y:,.0f} persons (80 %: %{customdata[0]:,.0f} – %{customdata[1]:,.0f})"
                                      f"<extra>{name}</extra>")
    for label, values in (reference or {}).items():
        fig.add_scatter(x=values.index.astype(int).tolist(), y=values, mode="markers+text", name=label,
                        marker=dict(symbol="star", size=14, color="#c8102e"), text=[label] * len(values),
                        textposition="middle left", hovertemplate=f"%{{x}}: %{{y:,.0f}} persons<extra>{label}</extra>")
    fig.update_xaxes(dtick=2)
    return theme.finish(fig, title, y_title=PERSONS_YEAR, x_title="year", note=note)


def vintages_chart(actual: pd.Series, vintages: pd.DataFrame, title: str, start: str = "2023-01",
                   note: str | None = None) -> go.Figure:
    """Published months (solid) and each vintage's forecast mean (dashed, one line per ``as_of``,
    ending at the last published month), for one series.

    ``vintages``: rows of ``forecast_vintages.csv`` for the series (:func:`flows.forecast.vintages.read_vintages`)."""
    fig = theme.new_figure()
    actual = actual.loc[pd.Period(start, "M"):]
    last = actual.index.max()
    fig.add_scatter(x=theme.x_values(actual.index), y=actual, mode="lines", name="published",
                    line=dict(color=theme.COLORS["two_way"], width=2), hovertemplate=theme.persons_hover("published"))
    for i, ((as_of, version), rows) in enumerate(vintages.groupby(["as_of", "method_version"], sort=True)):
        months = pd.PeriodIndex(rows["month"], freq="M")
        keep = months <= last + 12
        label = f"as of {as_of}" + (" (backfilled)" if (rows["backfilled"] == "true").all() else "")
        fig.add_scatter(x=theme.x_values(months[keep]), y=rows["mean"].to_numpy()[keep], mode="lines", name=label,
                        line=dict(color=theme.COLORWAY[(i + 3) % len(theme.COLORWAY)], dash="dash", width=1.5),
                        hovertemplate=theme.persons_hover(f"{label}, {version}"))
    return theme.finish(fig, title, y_title=PERSONS_MONTH, x_title="month", note=note)
