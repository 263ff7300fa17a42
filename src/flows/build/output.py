"""The build's outputs: the data package descriptor, CSV text, and the write of them all as one set."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from flows.atomic import replace_folder
from flows.build.schema import FIELDS, WARNING
from flows.build.annual import ANNUAL_KEY, ANNUAL_TABLE_COLUMNS
from flows.config import ANNUAL_TABLE, ATTRIBUTION, CONFLICTS, DESCRIPTOR, LINEAGE, REVISIONS, TABLE
from flows.vocabulary import KEY

if TYPE_CHECKING:
    from flows.build.pipeline import Build

_QUOTED = re.compile(r'[,"\n\r]')  # a field holding one of these is quoted


def descriptor(result: Build) -> dict:
    """A Frictionless-style data package describing the outputs and the raw files behind them."""
    readers = {f.reader.source: f.reader for f in result.raw_files}
    return {
        "profile": "tabular-data-package",
        "name": "flows-taiwan-japan-monthly",
        "title": "Taiwan–Japan travel: official monthly arrivals and departures",
        "attribution": ATTRIBUTION,
        "sources": [{"name": r.source, "title": r.title, "publisher": r.publisher, "path": r.page}
                    for _, r in sorted(readers.items())],
        "raw_files": [{"path": f.relative, "sha256": f.sha256, "bytes": f.size, "source": f.reader.source}
                      for f in result.raw_files],
        "resources": [
            {"name": "monthly_flows", "path": TABLE, "profile": "tabular-data-resource",
             "description": WARNING,
             "schema": {"fields": FIELDS, "primaryKey": KEY}},
            {"name": "annual_flows", "path": ANNUAL_TABLE, "profile": "tabular-data-resource",
             "description": "Published annual figures of series with no monthly table (Taiwan's annual "
                            "departures of nationals by first destination, 2002 →), every year the files "
                            "give; where monthly_flows holds a year in full, the two are equal. " + WARNING,
             "schema": {"fields": [{"name": "year", "type": "year", "description": "Calendar year."}]
                        + [f for f in FIELDS if f["name"] in ANNUAL_TABLE_COLUMNS[1:]],
                        "primaryKey": ANNUAL_KEY}},
            {"name": "lineage", "path": LINEAGE,
             "description": "For every key of monthly_flows: the raw file, sheet and cell it came from."},
            {"name": "conflicts", "path": CONFLICTS,
             "description": "Keys published by two file families with different values: the value kept "
                            "(higher-ranked family) and the one set aside."},
            {"name": "revisions", "path": REVISIONS,
             "description": "Values changed by a newer release (between two releases in the raw folder, or "
                            "against the previous processed table): old and new value, status and release. "
                            "Rows are kept across builds."},
        ],
    }


def write(result: Build, out: Path, log=print) -> list[Path]:
    """Write every output of a build as one set: the old set or the new one, never a mix
    (:func:`flows.atomic.replace_folder`)."""
    return replace_folder(out, {
        TABLE: result.table_csv,
        LINEAGE: csv_text(result.lineage),
        CONFLICTS: csv_text(result.conflicts),
        REVISIONS: csv_text(result.revisions),
        ANNUAL_TABLE: csv_text(result.annual.reindex(columns=ANNUAL_TABLE_COLUMNS)),
        DESCRIPTOR: json.dumps(descriptor(result), ensure_ascii=False, indent=2) + "\n",
    }, log=log)


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as the build writes it: no index, Unix line ends, missing values empty — the text of
    ``frame.to_csv(index=False, lineterminator="\\n")`` (the csv module's minimal quoting), made
    column by column with string joins: several times faster than a CSV writer for these frames."""
    columns = [_fields(list(frame.columns))] + [_fields(_texts(frame[c])) for c in frame.columns]
    if len(frame.columns) == 1:  # a lone empty field is written "" (else the line would be blank)
        columns = [['""' if t == "" else t for t in texts] for texts in columns]
    header, *body = columns
    return "\n".join(map(",".join, [header, *zip(*body)])) + "\n"


def _texts(column: pd.Series) -> list[str]:
    """A column's values as text, missing ones as ``""`` (what pandas writes for them)."""
    values = column.tolist()
    if pd.api.types.is_integer_dtype(column):
        return list(map(str, values))
    if column.hasnans:
        values = [None if missing else v for v, missing in zip(values, column.isna().tolist())]
    elif pd.api.types.is_string_dtype(column) and not pd.api.types.is_object_dtype(column):
        return values  # a str column without missing values holds only str
    return ["" if v is None else v if type(v) is str else str(v) for v in values]


def _fields(texts: list[str]) -> list[str]:
    """``texts`` as CSV fields: quoted (quotes doubled) where a comma, quote or line break is in them.
    Each distinct text is looked at once (most columns repeat a few texts)."""
    distinct = set(texts)
    joined = "\x00".join(distinct)
    special = {ch for ch in ',"\n\r' if ch in joined}
    if not special:
        return texts
    if special == {","}:  # the usual case ('line 9, column Total'): a plain test, much faster than a regex
        quoted = {t: f'"{t}"' for t in distinct if "," in t}
    else:
        quoted = {t: '"' + t.replace('"', '""') + '"' for t in distinct if _QUOTED.search(t)}
    return [quoted.get(t, t) for t in texts]
