"""Figures of the trends (notebook 02): monthly lines, STL, seasonal profile, annual bars, the Lunar
New Year effect, January/February growth and recovery by direction.

Drawn on the house template of :mod:`flows.viz.theme` with its source line; the numbers come from
:mod:`flows.analysis.trends`. Nothing here computes statistics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from flows.viz.theme import (
    COLORS,
    DIRECTION_LABELS,
    MONTH_NAMES,
    PERSONS,
    add_shocks,
    finish,
    log_axis,
    new_figure,
    new_subplots,
    persons_hover,
    x_values,
)


def monthly_lines(frame: pd.DataFrame, title: str, y_title: str = PERSONS, shocks=(), log_y: bool = False,
                  unit: str = "persons", fmt: str = ",.0f", colors: dict | None = None,
                  reference: float | None = None, note: str | None = None) -> go.Figure:
    """One line per column of ``frame`` (index: months), optional shaded shocks and reference line."""
    fig = new_figure()
    colors = colors or {}
    for col in frame.columns:
        name = DIRECTION_LABELS.get(col, str(col))
        fig.add_scatter(x=x_values(frame.index), y=frame[col], name=name, mode="lines",
                        line=dict(color=colors.get(col, COLORS.get(col))),
                        hovertemplate=persons_hover(name, unit, fmt))
    if reference is not None:
        fig.add_hline(y=reference, line=dict(color="#999999", width=1, dash="dash"))
    if log_y:
        log_axis(fig, frame.to_numpy(dtype=float, na_value=np.nan))
    add_shocks(fig, shocks, frame.index.min(), frame.index.max())
    return finish(fig, title, y_title=y_title, x_title="month", note=note)


def stl_chart(decomposition: pd.DataFrame, title: str, shocks=()) -> go.Figure:
    """Robust STL on the log scale (:func:`flows.analysis.trends.log_stl`): observed and trend (persons,
    log axis), seasonal swing and remainder (% of trend)."""
    fig = new_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.5, 0.25, 0.25], vertical_spacing=0.05)
    x = x_values(decomposition.index)
    observed = np.exp(decomposition["observed"])
    trend = np.exp(decomposition["trend"])
    fig.add_scatter(x=x, y=observed, name="observed", line=dict(color=COLORS["other"], width=1),
                    hovertemplate=persons_hover("observed"), row=1, col=1)
    fig.add_scatter(x=x, y=trend, name="trend", line=dict(color=COLORS["tw_to_jp"], width=2.5),
                    hovertemplate=persons_hover("trend"), row=1, col=1)
    for row, col, name in ((2, "seasonal", "seasonal"), (3, "resid", "remainder")):
        fig.add_scatter(x=x, y=100 * (np.exp(decomposition[col]) - 1), name=name, showlegend=row == 2,
                        line=dict(color=COLORS["jp_to_tw"] if row == 2 else COLORS["two_way"], width=1),
                        hovertemplate=persons_hover(name, "%", "+.1f"), row=row, col=1)
    fig.update_yaxes(title_text=PERSONS, row=1, col=1)
    log_axis(fig, np.r_[observed, trend], row=1, col=1)
    fig.update_yaxes(title_text="seasonal (% of trend)", row=2, col=1)
    fig.update_yaxes(title_text="remainder (%)", type="linear", row=3, col=1)
    add_shocks(fig, shocks, decomposition.index.min(), decomposition.index.max())
    return finish(fig, title, x_title="month", height=680)


def seasonal_profile_chart(profile: pd.DataFrame, title: str) -> go.Figure:
    """Average seasonal swing by calendar month, one line per period
    (:func:`flows.analysis.trends.seasonal_profile`)."""
    fig = new_figure()
    for col in profile.columns:
        fig.add_scatter(x=[MONTH_NAMES[m - 1] for m in profile.index], y=profile[col], name=str(col),
                        mode="lines+markers",
                        hovertemplate=f"%{{x}}<br>%{{y:+.1f}} % of trend<extra>{col}</extra>")
    fig.add_hline(y=0, line=dict(color="#999999", width=1))
    return finish(fig, title, y_title="seasonal swing (% above or below trend)", x_title="calendar month")


def annual_bars(frame: pd.DataFrame, title: str, y_title: str = "visits per year (persons)",
                stacked: bool = True, note: str | None = None) -> go.Figure:
    """One bar series per column of ``frame`` (index: year), stacked by default."""
    fig = new_figure()
    for col in frame.columns:
        name = DIRECTION_LABELS.get(col, str(col))
        fig.add_bar(x=frame.index.astype(str).tolist(), y=frame[col], name=name, marker_color=COLORS.get(col),
                    hovertemplate=f"%{{x}}<br>%{{y:,.0f}} persons<extra>{name}</extra>")
    fig.update_layout(barmode="stack" if stacked else "group")
    return finish(fig, title, y_title=y_title, x_title="year", note=note)


def holiday_effect_chart(effects: pd.DataFrame, title: str) -> go.Figure:
    """Estimated Lunar New Year effect with its interval, one row per series / sample
    (``effects``: rows of :meth:`flows.analysis.trends.HolidayEffect.as_row`)."""
    labels = [f"{r.series}<br>{r.first}…{r.last}" for r in effects.itertuples()]
    fig = new_figure(go.Scatter(
        x=effects["window_pct"], y=labels, mode="markers", marker=dict(size=11, color=COLORS["tw_to_jp"]),
        error_x=dict(type="data", symmetric=False, array=effects["high"] - effects["window_pct"],
                     arrayminus=effects["window_pct"] - effects["low"], thickness=2),
        customdata=np.column_stack([effects["low"], effects["high"], effects["months"]]),
        hovertemplate="%{y}<br>%{x:+.1f} % (interval %{customdata[0]:+.1f} to %{customdata[1]:+.1f} %)"
                      "<br>%{customdata[2]} months fitted<extra></extra>",
        showlegend=False,
    ))
    fig.add_vline(x=0, line=dict(color="#999999", width=1))
    fig.update_yaxes(autorange="reversed")
    return finish(fig, title, y_title=None,
                  x_title="visitors in a month holding the 4-day holiday (% vs same month without it)",
                  height=max(360, 90 * len(effects) + 200))


def january_february_chart(jan_feb: pd.DataFrame, title: str) -> go.Figure:
    """Year-on-year growth of January, February and January+February together
    (:func:`flows.analysis.trends.january_february`). The bar of the month holding the Lunar New Year
    holiday is hatched (its own legend entry, in the same slot as the month's plain bars), so the year
    axis keeps short labels that plotly thins as the chart narrows; years without a comparable
    growth rate are left empty."""
    frame = jan_feb.dropna(subset=["jan_feb_yoy_pct"])
    frame = frame.reindex(range(int(frame.index.min()), int(frame.index.max()) + 1)) if len(frame) else frame
    years = frame.index.astype(int).tolist()
    fig = new_figure()
    for col, month, name, color in (("jan_yoy_pct", "Jan", "January", "#56b4e9"),
                                    ("feb_yoy_pct", "Feb", "February", "#e69f00")):
        holds = (frame["holiday_month"] == month).to_numpy()
        for hatched in (False, True):
            label = f"{name}, holding the holiday" if hatched else name
            fig.add_bar(x=years, y=frame[col].where(holds == hatched), name=label, offsetgroup=month,
                        marker=dict(color=color, pattern=dict(shape="/" if hatched else "", fillmode="overlay",
                                                              fgcolor="#333333", solidity=0.35)),
                        hovertemplate=f"{label} %{{x}}: %{{y:+.1f}} %<extra></extra>")
    fig.add_scatter(x=years, y=frame["jan_feb_yoy_pct"], name="January + February", mode="lines+markers",
                    line=dict(color=COLORS["two_way"], width=2.5),
                    hovertemplate="January + February %{x}: %{y:+.1f} %<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickformat="d")
    return finish(fig, title, y_title="growth on the same months a year earlier (%)",
                  x_title="year (hatched: the month holding the Lunar New Year holiday)")


def recovery_bars(asymmetry: pd.DataFrame, title: str) -> go.Figure:
    """Each direction's last twelve months as % of the same months of the base year
    (:func:`flows.analysis.trends.asymmetry`)."""
    rows = asymmetry.loc[["tw_to_jp", "jp_to_tw"]]
    names = [DIRECTION_LABELS[k] for k in rows.index]
    fig = new_figure(go.Bar(
        x=names, y=rows["pct_of_base"], marker_color=[COLORS[k] for k in rows.index],
        text=[f"{v:.0f} %" for v in rows["pct_of_base"]], textposition="outside",
        customdata=np.column_stack([rows["recent"].astype(float), rows["base"].astype(float)]),
        hovertemplate="%{x}: %{y:.1f} % of base<br>%{customdata[0]:,.0f} vs %{customdata[1]:,.0f} persons"
                      "<extra></extra>",
    ))
    fig.add_hline(y=100, line=dict(color="#999999", width=1, dash="dash"))
    fig.update_yaxes(range=[0, 1.2 * float(rows["pct_of_base"].max())])
    base = asymmetry.attrs.get("base_year", "base year")
    return finish(fig, title, y_title=f"visits, % of the same months of {base}", x_title="direction")
