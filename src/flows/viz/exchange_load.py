"""Figures of notebook 04: the load on the border information-sharing arrangement.

Each function draws what it is given — the frames of :mod:`flows.exchange_load` — on the
house template of :mod:`flows.viz.theme`, with units on the value axis ("records per day", "records per
hour"), exact values on hover and the source line under the plot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from flows.viz.theme import COLORS, COLORWAY, finish, log_axis, new_figure, new_subplots

PER_DAY = "records per day"
PER_HOUR = "records per hour"
BAND = "rgba(31, 90, 166, {alpha})"  # the Taiwan → Japan blue, translucent
SCENARIO_COLORS = {"baseline": COLORS["tw_to_jp"], "high growth": COLORWAY[3],
                   "shock and recovery": COLORWAY[4], "contingency surge": COLORS["jp_to_tw"]}
NOTE = "Model: flows.exchange_load (assumptions in border_assumptions.yaml) on flows.forecast sample paths"


def _band(fig: go.Figure, x, low, high, name: str, alpha: float, showlegend: bool = True, **where) -> None:
    """A filled band between ``low`` and ``high`` (one closed polygon: light to draw and store)."""
    fig.add_scatter(x=list(x) + list(x)[::-1], y=list(low) + list(high)[::-1], fill="toself", mode="lines",
                    line=dict(width=0), fillcolor=BAND.format(alpha=alpha), name=name, hoverinfo="skip",
                    showlegend=showlegend, **where)


def _system_size(fig: go.Figure, x, capacity_per_hour: float, **where) -> None:
    """The illustrative system size as a dashed line across ``x``, named in the legend (a label on
    the line would sit on the curves that cross it)."""
    name = f"illustrative system size: {capacity_per_hour:,.0f} per hour"
    fig.add_scatter(x=list(x), y=[capacity_per_hour] * len(x), mode="lines", name=name,
                    line=dict(color="#999999", width=1, dash="dash"),
                    hovertemplate=f"{capacity_per_hour:,.0f} records per hour<extra>system size</extra>", **where)


def load_fan(mean_day: pd.DataFrame, peak_day: pd.DataFrame, observed_per_day: pd.Series, title: str,
             note: str | None = NOTE) -> go.Figure:
    """Records per day by month: the average day's fan (p05–p95 and p25–p75 of paths, median line),
    the busiest day of each month (median path), and the observed months before the forecast.
    ``mean_day``/``peak_day``: :func:`flows.exchange_load.summaries.monthly_quantiles`; ``observed_per_day``:
    records per day of published months (index: month start)."""
    fig = new_figure()
    x = mean_day.index
    _band(fig, x, mean_day["p05"], mean_day["p95"], "average day, 90 % of paths", 0.15)
    _band(fig, x, mean_day["p25"], mean_day["p75"], "average day, 50 % of paths", 0.30)
    fig.add_scatter(x=x, y=mean_day["p50"], name="average day, median path", mode="lines",
                    line=dict(color=COLORS["tw_to_jp"], width=2.5),
                    customdata=np.column_stack([mean_day["p05"], mean_day["p95"]]),
                    hovertemplate="%{x|%b %Y}: %{y:,.0f} records per day (90 %: %{customdata[0]:,.0f}"
                                  "–%{customdata[1]:,.0f})<extra>average day</extra>")
    fig.add_scatter(x=peak_day.index, y=peak_day["p50"], name="busiest day of the month, median path",
                    mode="lines", line=dict(color=COLORS["jp_to_tw"], width=1.5, dash="dot"),
                    hovertemplate="%{x|%b %Y}: %{y:,.0f} records on the busiest day<extra>busiest day</extra>")
    fig.add_scatter(x=observed_per_day.index, y=observed_per_day, name="published months (average day)",
                    mode="lines", line=dict(color=COLORS["two_way"], width=2),
                    hovertemplate="%{x|%b %Y}: %{y:,.0f} records per day<extra>published</extra>")
    fig.update_yaxes(rangemode="tozero")
    return finish(fig, title, y_title=PER_DAY, x_title="month", note=note, height=520)


def busiest_days_calendar(days: pd.DataFrame, title: str, note: str | None = NOTE) -> go.Figure:
    """One row per year, one cell per day: records on the median path as a multiple of that year's
    ordinary day, so the busiest days stand out whatever the growth. ``days``:
    :func:`flows.exchange_load.summaries.day_table`."""
    frame = days.reset_index()
    frame["year"] = frame["date"].dt.year
    frame["day"] = frame["date"].dt.strftime("2000-%m-%d")  # a leap year holds every month-day
    z = frame.pivot(index="year", columns="day", values="vs_ordinary")
    text = frame.assign(hover=frame["date"].dt.strftime("%a %d %b %Y") + "<br>"
                        + frame["p50"].map("{:,.0f} records".format) + " (median path)<br>"
                        + frame["why"]).pivot(index="year", columns="day", values="hover")
    fig = new_figure()
    fig.add_heatmap(x=pd.to_datetime(z.columns), y=[str(y) for y in z.index], z=z.to_numpy(),
                    customdata=text.to_numpy(), colorscale="YlOrRd", zmin=0.5,
                    colorbar=dict(title=dict(text="× ordinary day")), xgap=0, ygap=2,
                    hovertemplate="%{customdata}<br>%{z:.2f} × the year's ordinary day<extra></extra>")
    fig.update_xaxes(tickformat="%b", dtick="M1", showgrid=False)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    return finish(fig, title, y_title="year", x_title="day of the year", note=note,
                  height=max(320, 60 * len(z) + 220))


def capacity_curve(curves: dict, capacity_per_hour: float, title: str, note: str | None = NOTE) -> go.Figure:
    """Records per hour needed to keep up in a share of the year's hours, one line per year (median
    path) with the 90 % band of paths, and the illustrative system size ``capacity_per_hour``.
    ``curves``: year -> :func:`flows.exchange_load.hours.capacity_curve`."""
    fig = new_figure()
    for i, (year, curve) in enumerate(curves.items()):
        labels = [f"{100 * c:g} %" if c < 1 else "100 % (busiest hour)" for c in curve.index]
        color = COLORWAY[i % len(COLORWAY)]
        fig.add_scatter(x=labels, y=curve["p50"], name=f"{year}, median path", mode="lines+markers",
                        line=dict(color=color, width=2.5),
                        error_y=dict(type="data", symmetric=False, array=curve["p95"] - curve["p50"],
                                     arrayminus=curve["p50"] - curve["p05"], thickness=1.2, color=color),
                        customdata=np.column_stack([curve["p05"], curve["p95"]]),
                        hovertemplate=f"{year}: %{{y:,.0f}} records per hour cover %{{x}} of hours"
                                      "<br>90 % of paths: %{customdata[0]:,.0f}–%{customdata[1]:,.0f}<extra></extra>")
    first = next(iter(curves.values()))
    labels = [f"{100 * c:g} %" if c < 1 else "100 % (busiest hour)" for c in first.index]
    _system_size(fig, labels, capacity_per_hour)
    fig.update_yaxes(rangemode="tozero")
    return finish(fig, title, y_title=PER_HOUR, x_title="share of the year's hours the capacity keeps up with",
                  note=note)


def scenario_chart(peak_day: dict, title: str, note: str | None = NOTE) -> go.Figure:
    """The busiest day of each month in each scenario (median path), with the 90 % band of the
    baseline's paths. ``peak_day``: scenario name -> ``monthly_quantiles(s)["peak_day"]``."""
    fig = new_figure()
    if "baseline" in peak_day:
        base = peak_day["baseline"]
        _band(fig, base.index, base["p05"], base["p95"], "baseline, 90 % of paths", 0.15)
    for name, frame in peak_day.items():
        fig.add_scatter(x=frame.index, y=frame["p50"], name=name, mode="lines",
                        line=dict(color=SCENARIO_COLORS.get(name), width=2.5 if name == "baseline" else 1.8),
                        hovertemplate=f"%{{x|%b %Y}}: %{{y:,.0f}} records on the busiest day<extra>{name}</extra>")
    fig.update_yaxes(rangemode="tozero")
    return finish(fig, title, y_title=f"{PER_DAY} (busiest day of the month)", x_title="month", note=note,
                  height=520)


def surge_chart(effect: pd.DataFrame, capacity_per_hour: float, title: str, note: str | None = NOTE) -> go.Figure:
    """A contingency surge over a range of N (extra departures) and K (days): the busiest day (top)
    and busiest hour (bottom) of the surge's year on the median path, one line per K; N = 0 is
    normal traffic. ``effect``: :func:`flows.exchange_load.hours.surge_effect`."""
    fig = new_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for row, metric, unit in ((1, "records_peak_day", PER_DAY), (2, "records_peak_hour", PER_HOUR)):
        part = effect[effect["metric"] == metric]
        for i, (k, line) in enumerate(part.groupby("surge_days", sort=True)):
            line = line.sort_values("surge_extra_departures")
            fig.add_scatter(x=line["surge_extra_departures"], y=line["p50"], name=f"within {k} days",
                            mode="lines+markers", legendgroup=str(k), showlegend=row == 1,
                            line=dict(color=COLORWAY[i % len(COLORWAY)]),
                            customdata=np.column_stack([line["p05"], line["p95"], line["extra_per_day"]]),
                            hovertemplate=f"N = %{{x:,.0f}} within {k} days (%{{customdata[2]:,.0f}} a day)"
                                          f"<br>%{{y:,.0f}} {unit} (90 %: %{{customdata[0]:,.0f}}–"
                                          "%{customdata[1]:,.0f})<extra></extra>",
                            row=row, col=1)
    ns = effect["surge_extra_departures"]
    _system_size(fig, [ns.min(), ns.max()], capacity_per_hour, row=2, col=1)
    year = int(effect["year"].iloc[0])
    fig.update_yaxes(title_text=f"busiest day of {year}<br>({PER_DAY})", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=f"busiest hour of {year}<br>({PER_HOUR})", rangemode="tozero", row=2, col=1)
    return finish(fig, title, x_title="extra departures in the contingency (N, records)", note=note, height=640)


def shock_calibration(ratio: pd.Series, factor: pd.Series, title: str, note: str | None = None) -> go.Figure:
    """Observed travel as a share of the same month of the base year (``ratio``, from
    :func:`flows.exchange_load.basis.calibrate_shock`) beside the shock scenario's factor laid over the
    same months (``factor``, :func:`flows.exchange_load.scenarios.shock_factor`), in % on a log axis."""
    fig = new_figure()
    fig.add_scatter(x=ratio.index.to_timestamp(), y=100 * ratio, name="published (Table 2-2)", mode="lines+markers",
                    line=dict(color=COLORS["tw_to_jp"], width=2), marker=dict(size=4),
                    hovertemplate="%{x|%b %Y}: %{y:.2f} % of the same month of 2019<extra>published</extra>")
    fig.add_scatter(x=factor.index.to_timestamp(), y=100 * factor, name="shock scenario, calibrated", mode="lines",
                    line=dict(color=COLORWAY[4], width=2, dash="dash", shape="hv"),
                    hovertemplate="%{x|%b %Y}: %{y:.2f} % of baseline<extra>scenario</extra>")
    fig.add_hline(y=100, line=dict(color="#999999", width=1))
    log_axis(fig, np.r_[100 * ratio.to_numpy(dtype=float), 100 * factor.to_numpy(dtype=float)])
    return finish(fig, title, y_title="travel, % of normal (log scale)", x_title="month", note=note)


CHOICE_COLORS = {"engine": "#1f5aa6", "outlook": "#4d4d4d"}


def load_by_choice_chart(load: pd.DataFrame, year: int, title: str, note: str | None = NOTE) -> go.Figure:
    """One year's ordinary day, busiest day and busiest hour for each set of paths (the outlook, the engine's
    paths as drawn): median path
    with the 90 % interval of paths, one panel per figure (days and hours have different scales).

    ``load``: :func:`flows.exchange_load.tables.load_by_choice` (rows choice × metric)."""
    panels = (("records_ordinary_day", "ordinary day", PER_DAY), ("records_peak_day", "busiest day", PER_DAY),
              ("records_peak_hour", "busiest hour", PER_HOUR))
    fig = new_subplots(rows=1, cols=3, horizontal_spacing=0.12,
                       subplot_titles=[f"{label}, {year}" for _, label, _ in panels])
    choices = list(dict.fromkeys(load.index.get_level_values("choice")))
    for col, (metric, label, unit) in enumerate(panels, start=1):
        for choice in choices:
            r = load.loc[(choice, metric)]
            fig.add_bar(x=[choice], y=[r["p50"]], name=choice, legendgroup=choice, showlegend=col == 1,
                        marker_color=CHOICE_COLORS.get(choice, COLORS["other"]),
                        error_y=dict(type="data", symmetric=False, array=[r["p95"] - r["p50"]],
                                     arrayminus=[r["p50"] - r["p05"]], color="#333333"),
                        hovertemplate=f"{label}: %{{y:,.0f}} {unit} (90 % of paths: {r['p05']:,.0f}–{r['p95']:,.0f})"
                                      f"<extra>{choice}</extra>", row=1, col=col)
        if col != 2:  # the busiest day shares the ordinary day's unit: one title between them is enough
            fig.update_yaxes(title_text=unit, row=1, col=col)
    for annotation in fig.layout.annotations:
        annotation.update(font=dict(size=13))
    return finish(fig, title, note=note)
