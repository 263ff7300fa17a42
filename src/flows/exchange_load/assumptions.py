"""The load model's assumptions: read from ``data/border_assumptions.yaml``, each checked against its range.

Every assumption carries its value, unit, allowed range and source (or the word "assumption");
values outside their range, lists of the wrong length and unknown names are refused with
:class:`AssumptionError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml


class AssumptionError(ValueError):
    """An assumption outside its documented range, of the wrong shape, or unknown."""


@dataclass(frozen=True)
class Assumption:
    """One documented assumption: value, unit, allowed range [min, max], source or reasoning."""

    name: str
    value: Any
    unit: str
    range: tuple
    source: str

    def check(self) -> None:
        """Raise AssumptionError unless every element of the value lies inside the range."""
        low, high = self.range
        for item in np.atleast_1d(np.asarray(self.value, dtype=object)):
            if not _within(item, low, high):
                raise AssumptionError(
                    f"assumption {self.name!r} = {self.value!r} is outside its allowed range "
                    f"[{low}, {high}] ({self.unit})"
                )


def _within(item, low, high) -> bool:
    if isinstance(low, str):  # months "YYYY-MM" or dates "YYYY-MM-DD": ISO text orders like time
        text = str(item)
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text) or len(text) != len(low):
            return False
        try:
            pd.Timestamp(text)
        except ValueError:
            return False
        return low <= text <= high
    try:
        return bool(low <= float(item) <= high)
    except (TypeError, ValueError):
        return False


PROFILE_LENGTHS = {"weekday_weights": 7, "hourly_profile": 24, "surge_hourly_profile": 24}


PERCENT_PROFILES = ("hourly_profile", "surge_hourly_profile")


REQUIRED = (
    "third_country_share_tw_jp", "third_country_share_jp_tw", "weekday_weights", "break_start_multiplier",
    "origin_holiday_multiplier", "destination_holiday_multiplier", "lunar_new_year_multiplier",
    "hourly_profile", "surge_hourly_profile", "high_growth_quantile", "shock_start", "shock_floor",
    "shock_months_at_floor", "shock_recovery_months", "surge_extra_departures", "surge_days",
    "surge_start", "capacity_per_hour",
)


FIELDS = ("value", "unit", "range", "source")


WHOLE_NUMBERS = ("shock_months_at_floor", "shock_recovery_months", "surge_extra_departures", "surge_days")


class Assumptions:
    """All assumptions of the model, read from YAML; attribute access gives the value (`a.surge_days`)."""

    def __init__(self, entries: dict[str, Assumption]):
        missing = sorted(set(REQUIRED) - set(entries))
        if missing:
            raise AssumptionError(f"missing assumption(s) {missing}")
        self._entries = dict(entries)
        for entry in self._entries.values():
            entry.check()
        self._check_shapes()

    def _check_shapes(self) -> None:
        for name, length in PROFILE_LENGTHS.items():
            value = self._entries[name].value
            if np.ndim(value) != 1 or len(value) != length:
                raise AssumptionError(f"assumption {name!r} needs a list of {length} values, got {value!r}")
        for name in WHOLE_NUMBERS:
            value = self._entries[name].value
            if float(value) != int(value):
                raise AssumptionError(f"assumption {name!r} = {value!r} must be a whole number")
        for name in PERCENT_PROFILES:
            total = float(np.sum(self._entries[name].value))
            if abs(total - 100) > 0.5:
                raise AssumptionError(f"assumption {name!r} must sum to 100 (percent), sums to {total:g}")

    def __getattr__(self, name: str):
        entries = self.__dict__.get("_entries", {})
        if name not in entries:
            raise AttributeError(name)
        return entries[name].value

    def __iter__(self):
        return iter(self._entries.values())

    def replace(self, **overrides) -> Assumptions:
        """A copy with some values changed; unknown names and out-of-range values are refused."""
        unknown = sorted(set(overrides) - set(self._entries))
        if unknown:
            raise AssumptionError(f"unknown assumption(s) {unknown}; known: {sorted(self._entries)}")
        entries = {k: replace(e, value=overrides.get(k, e.value)) for k, e in self._entries.items()}
        return Assumptions(entries)

    def table(self) -> pd.DataFrame:
        """One row per assumption (name, value, unit, min, max, source), for display in a notebook."""
        rows = [(e.name, e.value, e.unit, e.range[0], e.range[1], e.source) for e in self]
        return pd.DataFrame(rows, columns=["name", "value", "unit", "min", "max", "source"])


DEFAULT_FILE = "data/border_assumptions.yaml"  # in the package


def _entries(raw) -> dict[str, Assumption]:
    """The file's entries, each a mapping of :data:`FIELDS` with a range of two bounds."""
    if not isinstance(raw, dict):
        raise AssumptionError(f"expected a mapping of assumption names to entries, got {type(raw).__name__}")
    entries = {}
    for name, spec in raw.items():
        if not isinstance(spec, dict):
            raise AssumptionError(f"assumption {name!r} must be a mapping with {list(FIELDS)}")
        lacking = [f for f in FIELDS if f not in spec]
        if lacking:
            raise AssumptionError(f"assumption {name!r} lacks {lacking}: each needs {list(FIELDS)}")
        if not isinstance(spec["range"], list) or len(spec["range"]) != 2:
            raise AssumptionError(f"assumption {name!r}: range must be [min, max], got {spec['range']!r}")
        entries[name] = Assumption(name, spec["value"], str(spec["unit"]), tuple(spec["range"]), str(spec["source"]))
    return entries


def read_assumptions(path: str | Path | None = None, **overrides) -> Assumptions:
    """Read the assumptions (default: the package's `data/border_assumptions.yaml`), apply overrides.

    A file that cannot be read, is not YAML, or holds a value outside its range is refused with one
    line naming the file and the assumption (:class:`AssumptionError`)."""
    name = DEFAULT_FILE if path is None else str(path)
    try:
        if path is None:
            text = resources.files("flows").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise AssumptionError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise AssumptionError(f"{name}: not valid YAML{where} ({getattr(exc, 'problem', None) or 'syntax'})") from None
    try:
        assumptions = Assumptions(_entries(raw))
    except AssumptionError as exc:
        raise AssumptionError(f"{name}: {exc}") from None
    return assumptions.replace(**overrides)
