"""The what-if explorer in JupyterLab: one ipywidgets control per assumption of the baseline load, a year,
a quantile of the outlook's paths, a reset, and the figures :class:`flows.exchange_load.whatif.Explorer`
computes, redrawn on every change.

Controls are bounded by the YAML's ranges and labelled with units; each shows its source beside it (the
whole text on hover). A list of 24 hourly percentages cannot be bounded by one slider: it is typed, and a
list the YAML's checks refuse is named in one line while the figures stay as they were.

The explorer is displayed under a fixed model id (:data:`MODEL_ID`), so running the notebook again writes
the same output and the stored notebook stays byte-stable (``flows.site.notebook_store`` keeps widget
outputs of ids starting ``flows-``; their state is never stored).
"""

from __future__ import annotations

import html
import time

import ipywidgets as w

from flows.exchange_load.assumptions import AssumptionError, Assumptions
from flows.exchange_load.summaries import QUANTILES
from flows.exchange_load.whatif import FIGURES, WEEKDAYS, Explorer, controlled, yaml_snippet

MODEL_ID = "flows-whatif-explorer"
QUANTILE_LABELS = {0.05: "5th percentile of paths", 0.25: "25th percentile of paths", 0.5: "median path",
                   0.75: "75th percentile of paths", 0.95: "95th percentile of paths"}
_shown: dict[str, w.Widget] = {}


class ExplorerBox(w.VBox):
    """The explorer's outer box; its plain-text form says what it is (a stored notebook shows it
    where no kernel draws the controls)."""

    def __repr__(self) -> str:
        return "What-if explorer of the border-sharing load (controls need a running kernel)"


def _entry(a: Assumptions, name: str):
    return next(e for e in a if e.name == name)


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1]


def _about(a: Assumptions, name: str) -> w.HTML:
    e = _entry(a, name)
    return w.HTML(f'<span class="flows-whatif-about" title="{html.escape(" ".join(e.source.split()))}">'
                  f"<b>{html.escape(name)}</b> — {html.escape(e.unit)}; range {e.range[0]}–{e.range[1]}. "
                  f"<i>Source:</i> {html.escape(_first_sentence(e.source))}</span>")


def _slider(a: Assumptions, name: str, value, description: str, step: float = 0.01) -> w.FloatSlider:
    low, high = _entry(a, name).range
    slider = w.FloatSlider(value=value, min=float(low), max=float(high), step=step, description=description,
                           readout_format=".2f", continuous_update=False, tooltip=_entry(a, name).unit,
                           style={"description_width": "9em"}, layout=w.Layout(width="26em"))
    slider.add_class(f"flows-whatif-{name}")
    return slider


def _figures_html(figures, a: Assumptions, year: int, q: float, seconds: float) -> str:
    rows = "".join(
        f'<tr><th>{html.escape(label)}</th><td class="flows-whatif-figure" data-figure="{name}" '
        f'data-value="{float(figures[name])!r}">{figures[name]:,.0f}</td><td>{html.escape(unit)}</td></tr>'
        for name, (label, unit) in FIGURES.items())
    return (f"<p><b>{year}, {QUANTILE_LABELS[q]}</b> — capacity {a.capacity_per_hour:,} records per hour "
            f"(computed in {seconds:.2f} s by flows.exchange_load)</p><table>{rows}</table>")


def explorer_widget(explorer: Explorer, yaml_assumptions: Assumptions, start: Assumptions | None = None,
                    year: int | None = None) -> ExplorerBox:
    """The explorer over ``explorer``'s paths; controls start at ``start`` (default: the YAML's values)
    and *reset* goes back to ``yaml_assumptions``."""
    start = yaml_assumptions if start is None else start
    names = controlled(explorer.direction)
    share, factors = names[0], names[1:-2]
    share_slider = _slider(yaml_assumptions, share, getattr(start, share), "third-country share")
    weekday = [_slider(yaml_assumptions, "weekday_weights", v, day) for day, v in zip(WEEKDAYS, start.weekday_weights)]
    for day, slider in zip(WEEKDAYS, weekday):
        slider.add_class(f"flows-whatif-weekday-{day}")
    factor_sliders = {n: _slider(yaml_assumptions, n, getattr(start, n), n.replace("_multiplier", "").replace("_", " "))
                      for n in factors if n != "weekday_weights"}
    hourly = w.Text(value=", ".join(f"{v:g}" for v in start.hourly_profile), description="hourly profile",
                    continuous_update=False, style={"description_width": "9em"}, layout=w.Layout(width="100%"))
    hourly.add_class("flows-whatif-hourly_profile")
    low, high = _entry(yaml_assumptions, "capacity_per_hour").range
    capacity = w.BoundedIntText(value=int(start.capacity_per_hour), min=int(low), max=int(high), step=100,
                                description="capacity", style={"description_width": "9em"})
    capacity.add_class("flows-whatif-capacity_per_hour")
    year_box = w.Dropdown(options=explorer.years, value=explorer.years[-1] if year is None else year,
                          description="year", style={"description_width": "9em"})
    year_box.add_class("flows-whatif-year")
    quantile = w.Dropdown(options=[(QUANTILE_LABELS[q], q) for q in QUANTILES], value=0.5,
                          description="outlook", style={"description_width": "9em"})
    quantile.add_class("flows-whatif-quantile")
    reset = w.Button(description="reset to the YAML's values")
    reset.add_class("flows-whatif-reset")
    message = w.HTML()
    message.add_class("flows-whatif-message")
    shown = w.HTML()
    shown.add_class("flows-whatif-figures")
    snippet = w.HTML()
    snippet.add_class("flows-whatif-yaml")

    def current() -> Assumptions:
        values = {share: share_slider.value, "weekday_weights": [s.value for s in weekday],
                  "capacity_per_hour": int(capacity.value)}
        values.update({n: s.value for n, s in factor_sliders.items()})
        try:
            values["hourly_profile"] = [float(v) for v in hourly.value.replace(",", " ").split()]
        except ValueError:
            raise AssumptionError(f"assumption 'hourly_profile': {hourly.value!r} is not a list of numbers") from None
        return yaml_assumptions.replace(**values)

    def redraw(_=None):
        try:
            a = current()
        except AssumptionError as exc:
            message.value = f'<span style="color:#c8102e">Refused: {html.escape(str(exc))}</span>'
            return
        started = time.perf_counter()
        figures = explorer.figures(a, year_box.value, quantile.value)
        message.value = ""
        shown.value = _figures_html(figures, a, year_box.value, quantile.value, time.perf_counter() - started)
        snippet.value = ("<p>These settings, to paste over the <code>value:</code> lines of "
                         "<code>src/flows/data/border_assumptions.yaml</code>:</p><pre>"
                         + html.escape(yaml_snippet(a, names, yaml_assumptions)) + "</pre>")

    def reset_all(_=None):
        controls = [share_slider, *weekday, *factor_sliders.values(), hourly, capacity]
        for c in controls:
            c.unobserve(redraw, "value")
        share_slider.value = getattr(yaml_assumptions, share)
        for slider, v in zip(weekday, yaml_assumptions.weekday_weights):
            slider.value = v
        for n, slider in factor_sliders.items():
            slider.value = getattr(yaml_assumptions, n)
        hourly.value = ", ".join(f"{v:g}" for v in yaml_assumptions.hourly_profile)
        capacity.value = int(yaml_assumptions.capacity_per_hour)
        for c in controls:
            c.observe(redraw, "value")
        redraw()

    for c in [share_slider, *weekday, *factor_sliders.values(), hourly, capacity, year_box, quantile]:
        c.observe(redraw, "value")
    reset.on_click(reset_all)
    redraw()

    rows = [w.HTML("<b>Travellers</b>"), share_slider, _about(yaml_assumptions, share),
            w.HTML("<b>Days</b>"), w.HBox(weekday[:4], layout=w.Layout(flex_flow="row wrap")),
            w.HBox(weekday[4:], layout=w.Layout(flex_flow="row wrap")), _about(yaml_assumptions, "weekday_weights")]
    for n, slider in factor_sliders.items():
        rows += [slider, _about(yaml_assumptions, n)]
    rows += [w.HTML("<b>Hours</b>"), hourly, _about(yaml_assumptions, "hourly_profile"),
             w.HTML("<b>Capacity and outlook</b>"), capacity, _about(yaml_assumptions, "capacity_per_hour"),
             w.HBox([year_box, quantile], layout=w.Layout(flex_flow="row wrap")), reset, message, shown, snippet]
    old = _shown.pop(MODEL_ID, None)
    if old is not None:
        old.close()  # the id is reused: the previous explorer of this kernel goes first
    box = ExplorerBox(rows, model_id=MODEL_ID)
    _shown[MODEL_ID] = box
    return box
