"""The tidy monthly table: one description of every column, and the rules it must obey.

Each rule returns a list of problems (one line each, naming source, key and month) so that the
build can report them all at once; an empty list means the rule holds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from flows.vocabulary import KEY, MEASURES, SERIES, STATUSES, TABLE_COLUMNS

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

FIELDS = [
    {"name": "month", "type": "yearmonth", "format": "YYYY-MM",
     "description": "Calendar month of the count."},
    {"name": "origin", "type": "string",
     "description": "Where travellers come from: ISO 3166-1 alpha-2 code (nationality for JNTO, "
                    "residence for Taiwan's arrivals, TW for Taiwan's departures), ALL for a published "
                    "grand total, X-… for a published grouping (see flows/data/market_labels.csv)."},
    {"name": "destination", "type": "string",
     "description": "Where they go: JP or TW for arrivals; for national_departures the first "
                    "destination of the flight (ISO code, ALL or X-… grouping)."},
    {"name": "measure", "type": "string", "constraints": {"enum": list(MEASURES)},
     "description": "visitor_arrivals: counted by the destination on entry (JNTO by nationality into JP; "
                    "Taiwan by residence into TW). national_departures: Taiwan nationals leaving TW, by "
                    "first destination. Mirror pairs measure the same trip from both ends: never add them."},
    {"name": "value", "type": "integer", "unit": "persons", "constraints": {"minimum": 0},
     "description": "Number of persons (trips), as published."},
    {"name": "status", "type": "string", "constraints": {"enum": list(STATUSES)},
     "description": "final, provisional, or estimate (JNTO's first estimate, rounded to 100)."},
    {"name": "source", "type": "string",
     "description": "Publisher's file family the value was taken from (see lineage for the cell)."},
]

WARNING = ("Holds totals (ALL) and regional subtotals (X-…) beside their parts, and mirror series "
           "measuring the same trips from both ends: do not sum across origins, destinations or measures.")


def duplicate_keys(table: pd.DataFrame) -> list[str]:
    dup = table[table.duplicated(KEY, keep=False)]
    return [f"duplicate key {tuple(k)}" for k in dup[KEY].drop_duplicates().itertuples(index=False)]


def bad_values(table: pd.DataFrame) -> list[str]:
    problems = []
    for col in TABLE_COLUMNS:
        if col not in table.columns:
            problems.append(f"missing column {col!r}")
    if problems:
        return problems
    if not pd.api.types.is_integer_dtype(table["value"]):
        problems.append(f"value column is {table['value'].dtype}, expected integers")
    elif (table["value"] < 0).any():
        row = table[table["value"] < 0].iloc[0]
        problems.append(f"negative value {row.value} at {row.month} {row.origin}→{row.destination} {row.measure}")
    for col, allowed in (("status", STATUSES), ("measure", MEASURES)):
        bad = sorted(set(table[col].unique()) - set(allowed))
        if bad:
            problems.append(f"unknown {col} {bad}")
    distinct = pd.unique(table["month"])
    bad = [m for m in distinct if not isinstance(m, str) or not _MONTH.fullmatch(m)]
    if bad:
        problems.append(f"month not in YYYY-MM form: {bad[:3]}")
    return problems


def month_number(months: pd.Series) -> pd.Series:
    """``'YYYY-MM'`` → months since year 0 (integer arithmetic on the few distinct months)."""
    codes, distinct = pd.factorize(months)
    numbers = np.array([int(m[:4]) * 12 + int(m[5:7]) - 1 for m in distinct], dtype="int64")
    return pd.Series(numbers[codes], index=months.index)


def _month_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def gaps(table: pd.DataFrame, known: pd.DataFrame | None = None) -> list[str]:
    """Series with a month missing between their first and last month.

    ``known`` (columns origin, destination, measure, first_month, last_month, reason) lists
    documented upstream gaps; they are not problems. A known gap that has been filled is one, so
    the list cannot silently go stale.
    """
    numbered = table[SERIES].assign(n=month_number(table["month"]))
    grouped = numbered.groupby(SERIES, sort=True)["n"]
    spans = grouped.agg(["min", "max", "size"])
    holed = spans[spans["max"] - spans["min"] + 1 != spans["size"]]
    excused = set()
    for gap in (known if known is not None else pd.DataFrame()).itertuples(index=False):
        first, last = month_number(pd.Series([gap.first_month, gap.last_month]))
        excused |= {(gap.origin, gap.destination, gap.measure, n) for n in range(first, last + 1)}
    problems = []
    rows_of = grouped.indices if len(holed) else {}
    for series, span in holed.iterrows():
        present = set(numbered["n"].to_numpy()[rows_of[series]])
        missing = [n for n in range(span["min"], span["max"] + 1)
                   if n not in present and (*series, n) not in excused]
        if missing:
            shown = ", ".join(_month_text(n) for n in missing[:6]) + (" …" if len(missing) > 6 else "")
            problems.append(f"series {'→'.join(series[:2])} {series[2]}: {len(missing)} month(s) missing inside "
                            f"{_month_text(span['min'])}…{_month_text(span['max'])}: {shown}")
    candidates = numbered[numbered["origin"].isin({k[0] for k in excused})]
    filled = excused & set(zip(candidates["origin"], candidates["destination"], candidates["measure"], candidates["n"]))
    for key in sorted(filled):
        problems.append(f"known gap {key[0]}→{key[1]} {key[2]} {_month_text(key[3])} is now filled: "
                        f"remove it from flows/data/known_gaps.csv")
    return problems
