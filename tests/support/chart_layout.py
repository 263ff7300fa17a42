"""Collisions of text in drawn plotly charts, measured in a browser (``chart_layout.js``).

:func:`measure_page` loads a page at a given width and returns what each chart drew; :func:`problems`
lists, in words, every pair of text items whose boxes overlap (titles, the note and source line,
legends, axis titles, annotations, colour bars, tick labels, data labels), every text item that
leaves the figure, every title, legend or annotation written over the data (points of lines,
markers, bars), every log-axis label that does not read as the number it marks, and every axis of
years labelled with a thousands separator ("2,012"). The toolbar counts as an item: it must not sit
on any text. :func:`page_overflow` is how far a page scrolls sideways.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from pathlib import Path

SCRIPT = (Path(__file__).with_name("chart_layout.js")).read_text(encoding="utf-8")
TOLERANCE = 1.0  # px: boxes that merely touch do not collide
OVER_DATA = ("title", "note and source", "legend", "axis title", "annotation")
YEAR_WITH_SEPARATOR = re.compile(r"^[12],\d{3}$")  # "2,012"
WHOLE_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


@contextlib.contextmanager
def offline_page(browser, page_file: Path, width: int):
    """``page_file`` opened ``width`` px wide with every request that would leave the machine refused, once
    the report's pages have fitted their charts to the width (flows/data/narrow_charts.js); closed after."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        page.goto(page_file.resolve().as_uri())
        page.wait_for_function("() => !document.querySelector('script[data-flows-fit]')"
                               " || document.documentElement.dataset.flowsCharts === 'fitted'", timeout=120_000)
        yield page
    finally:
        page.close()


def measure_page(browser, page_file: Path, width: int) -> tuple[int, list[dict]]:
    """``(charts on the page, what each drew)`` for ``page_file`` opened ``width`` px wide, with
    every request that would leave the machine refused."""
    with offline_page(browser, page_file, width) as page:
        page.wait_for_function("() => [...document.querySelectorAll('.plotly-graph-div')]"
                               ".every(d => d.querySelector('svg.main-svg'))", timeout=120_000)
        expected = page.evaluate("document.querySelectorAll('.plotly-graph-div').length")
        return expected, page.eval_on_selector_all(".js-plotly-plot", f"(charts) => charts.map({SCRIPT})")


def page_overflow(browser, page_file: Path, width: int) -> list[str]:
    """What sticks out of ``page_file`` opened ``width`` px wide: the page's sideways scroll and the
    elements whose right edge passes the window (each named by tag, class and start of text)."""
    with offline_page(browser, page_file, width) as page:
        return page.evaluate("""(width) => {
          const found = [];
          const scroll = document.documentElement.scrollWidth;
          if (scroll > width) found.push(`the page scrolls sideways: ${scroll} px wide in a ${width} px window`);
          const inBox = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; }
            return false; };
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > width + 1 && !inBox(el) && found.length < 20)
              found.push(`${el.tagName.toLowerCase()}.${el.className && el.className.baseVal === undefined
                ? el.className : ''} '${(el.textContent || '').trim().slice(0, 60)}' reaches ${Math.round(r.right)} px`);
          }
          return found;
        }""", width)


def _edges(quad):
    return [(quad[i][1] - quad[(i + 1) % 4][1], quad[(i + 1) % 4][0] - quad[i][0]) for i in range(4)]


def overlap(a, b, tolerance: float = TOLERANCE) -> bool:
    """Whether two convex quadrilaterals overlap by more than ``tolerance`` px (separating axes)."""
    for nx, ny in _edges(a) + _edges(b):
        norm = (nx * nx + ny * ny) ** 0.5
        if norm == 0:
            continue
        pa = [(x * nx + y * ny) / norm for x, y in a]
        pb = [(x * nx + y * ny) / norm for x, y in b]
        if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= tolerance:
            return False
    return True


def inside(quad, point, tolerance: float = TOLERANCE) -> bool:
    """Whether ``point`` lies inside ``quad``, more than ``tolerance`` px from its edges."""
    side = None
    for i in range(4):
        (x0, y0), (x1, y1) = quad[i], quad[(i + 1) % 4]
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1.0
        distance = ((x1 - x0) * (point[1] - y0) - (y1 - y0) * (point[0] - x0)) / length
        if abs(distance) <= tolerance:
            return False
        if side is None:
            side = distance > 0
        elif side != (distance > 0):
            return False
    return True


def _name(item: dict) -> str:
    label = item["label"] if len(item["label"]) <= 80 else item["label"][:77] + "..."
    return f"{item['kind']} {label!r}"


def problems(chart: dict) -> list[str]:
    """Every collision in one measured chart, in words."""
    found = []
    items = chart["items"]
    for a, b in itertools.combinations(items, 2):
        if a["group"] == b["group"] and a["kind"] != "tick label":
            continue  # parts of one element (a legend's entries, one annotation's lines)
        if overlap(a["quad"], b["quad"]):
            found.append(f"{_name(a)} overlaps {_name(b)}")
    (left, top), (right, _), (_, bottom) = chart["figure"][:3]
    for a in items:
        if any(not (left - TOLERANCE <= x <= right + TOLERANCE and top - TOLERANCE <= y <= bottom + TOLERANCE)
               for x, y in a["quad"]):
            found.append(f"{_name(a)} runs out of the figure")
    for a in items:
        if a["kind"] in OVER_DATA:
            hits = sum(inside(a["quad"], m) for m in chart["marks"])
            if hits:
                found.append(f"{_name(a)} is written over the data ({hits} points)")
    axes: dict[str, list[str]] = {}
    for a in items:
        if a["kind"] == "tick label":
            axes.setdefault(a["group"], []).append(a["label"])
    for axis, labels in sorted(axes.items()):
        if any(YEAR_WITH_SEPARATOR.match(t) for t in labels) and all(
                WHOLE_NUMBER.match(t) and 1800 <= int(t.replace(",", "")) < 2200 for t in labels):
            found.append(f"axis of years {axis.removesuffix('tick')}: labels with a thousands separator "
                         f"({', '.join(t for t in labels if ',' in t)[:80]})")
    for label in chart["logLabels"]:
        try:
            shown = float(label["text"].replace(",", "").replace("\u2212", "-"))
        except ValueError:
            shown = None
        if shown is None or abs(shown - label["value"]) > 1e-6 * label["value"]:
            found.append(f"log axis {label['axis']}: label {label['text']!r} marks {label['value']:,g}")
    return found
