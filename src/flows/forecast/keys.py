"""How the forecast files name a series: codes in the files, words on charts and tables.

Every file ``flows forecast`` writes keys a series as the build's tables do, by codes
(:data:`KEY`): ``direction`` (``tw_to_jp``, ``jp_to_tw``: :data:`flows.vocabulary.DIRECTIONS`, or
``two_way``, their sum) and the series of ``monthly_flows.csv`` it continues — ``origin``,
``destination``, ``measure``. Taiwan → Japan continues JNTO's count (``TW``, ``JP``,
``visitor_arrivals``), Japan → Taiwan Taiwan's (``JP``, ``TW``, ``visitor_arrivals``); ``two_way`` is
no series of the table (the sum of those two, path by path), so its ``origin`` and ``destination`` are
empty and its ``measure`` is its parts' one. ``panel_backtest.csv`` keys the reference panel's flows by
``origin``, ``destination``, ``measure`` alone (:func:`panel_key`).

Labels are made from the codes here and nowhere else (:func:`label`), so a chart or table never keys
on words. This module knows names, never figures: a new method or new figures change nothing here.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from flows.vocabulary import JP_TO_TW, JP_TO_TW_TAIWAN, TW_TO_JP, TW_TO_JP_JNTO, TW_TO_JP_TAIWAN, TWO_WAY, SeriesKey

KEY = ["direction", "origin", "destination", "measure"]
# The series of the table each direction continues (the two-way total is their sum).
CONTINUES = {TW_TO_JP.code: TW_TO_JP_JNTO, JP_TO_TW.code: JP_TO_TW_TAIWAN}
DIRECTIONS = (TW_TO_JP.code, JP_TO_TW.code, TWO_WAY)

# Plain words for the Taiwan–Japan series of the table, by their codes; anything else reads as its codes.
NAMES = {
    TW_TO_JP_TAIWAN: "Taiwanese departures to Japan (Taiwan's count)",
    JP_TO_TW_TAIWAN: "Japanese arrivals in Taiwan (Taiwan's count)",
    TW_TO_JP_JNTO: "Taiwanese arrivals in Japan (JNTO's count)",
    SeriesKey("JP", "TW", "national_departures"): "Japanese departures to Taiwan",
}
TWO_WAY_NAME = "Two-way visits (JNTO's Taiwanese arrivals + Taiwan's arrivals from Japan)"


def key_of(direction: str) -> dict[str, str]:
    """The key columns of ``direction``'s rows (see the module doc)."""
    if direction == TWO_WAY:
        return {"direction": TWO_WAY, "origin": "", "destination": "", "measure": TW_TO_JP_JNTO.measure}
    series = CONTINUES[direction]
    return {"direction": direction, "origin": series.origin, "destination": series.destination,
            "measure": series.measure}


def with_key(frame: pd.DataFrame, direction: str) -> pd.DataFrame:
    """``frame`` with ``direction``'s key columns (:data:`KEY`) first."""
    return pd.concat([pd.DataFrame(key_of(direction), index=frame.index), frame], axis=1)


def parse(text: str, dtype: Mapping[str, type] | None = None) -> pd.DataFrame:
    """Rows of a forecast file from its text: key columns as text (empty stays empty), other columns as
    ``dtype`` says or pandas reads them."""
    present = [c for c in KEY if c in text.split("\n", 1)[0].split(",")]
    frame = pd.read_csv(io.StringIO(text), dtype={**dict.fromkeys(present, str), **(dtype or {})})
    frame[present] = frame[present].fillna("")
    return frame


def series_name(origin: str, destination: str, measure: str) -> str:
    """A series of the table in plain words (:data:`NAMES`), else by its codes (``KR→JP visitor_arrivals``)."""
    key = SeriesKey(origin, destination, measure)
    return NAMES.get(key, key.label)


def label(direction: str) -> str:
    """A forecast series in plain words, for charts and tables: the series it continues, or the two-way total
    (an unknown code as it is)."""
    if direction == TWO_WAY:
        return TWO_WAY_NAME
    return series_name(*CONTINUES[direction]) if direction in CONTINUES else direction


def panel_name(origin: str, destination: str) -> str:
    """The reference panel's name of a flow (``KR→JP``: :func:`flows.forecast.panel.reference_panel`)."""
    return f"{origin}→{destination}"


def panel_key(name: str) -> dict[str, str]:
    """The key columns of a panel flow from its name: ``KR→JP`` → ``KR``, ``JP``, ``visitor_arrivals``."""
    origin, destination = name.split("→")
    return {"origin": origin, "destination": destination, "measure": "visitor_arrivals"}
