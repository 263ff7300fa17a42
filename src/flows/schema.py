"""The tidy monthly table: one description of every column, and the rules it must obey.

Each rule returns a list of problems (one line each, naming source, key and month) so that the
build can report them all at once; an empty list means the rule holds.
"""

from __future__ import annotations

import pandas as pd

from flows.sources import MEASURES, STATUSES, TABLE_COLUMNS

KEY = ["month", "origin", "destination", "measure"]
SERIES = ["origin", "destination", "measure"]

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
        bad = sorted(set(table[col]) - set(allowed))
        if bad:
            problems.append(f"unknown {col} {bad}")
    if not table["month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").all():
        problems.append("month not in YYYY-MM form")
    return problems


def gaps(table: pd.DataFrame) -> list[str]:
    """Series with a month missing between their first and last month."""
    problems = []
    for series, group in table.groupby(SERIES, sort=True):
        months = pd.PeriodIndex(group["month"], freq="M")
        expected = pd.period_range(months.min(), months.max(), freq="M")
        missing = expected.difference(months)
        if len(missing):
            shown = ", ".join(str(m) for m in missing[:6]) + (" …" if len(missing) > 6 else "")
            problems.append(f"series {'→'.join(series[:2])} {series[2]}: {len(missing)} month(s) missing "
                            f"inside {months.min()}…{months.max()}: {shown}")
    return problems
