"""The build's outputs: the data package descriptor, CSV text, and the write of them all as one set."""

from __future__ import annotations

from pathlib import Path

from flows import datapackage
from flows.assemble.annual import ANNUAL_KEY, ANNUAL_TABLE_COLUMNS
from flows.assemble.result import Build
from flows.assemble.schema import FIELDS, WARNING
from flows.assemble.text import csv_text
from flows.atomic import replace_folder
from flows.config import ANNUAL_TABLE, ATTRIBUTION, CONFLICTS, DESCRIPTOR, LINEAGE, REVISIONS, TABLE
from flows.vocabulary import KEY


def descriptor(result: Build, previous: dict | None = None) -> dict:
    """A Frictionless-style data package describing the outputs and the raw files behind them; the resources
    of the ``previous`` package the build does not write (``flows forecast``'s, :mod:`flows.datapackage`)
    follow its own, as they were."""
    readers = {f.reader.source: f.reader for f in result.raw_files}
    own = [
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
    ]
    return {
        "profile": "tabular-data-package",
        "name": "flows-taiwan-japan-monthly",
        "title": "Taiwan–Japan travel: official monthly arrivals and departures",
        "attribution": ATTRIBUTION,
        "sources": [{"name": r.source, "title": r.title, "publisher": r.publisher, "path": r.page}
                    for _, r in sorted(readers.items())],
        "raw_files": [{"path": f.relative, "sha256": f.sha256, "bytes": f.size, "source": f.reader.source}
                      for f in result.raw_files],
        "resources": own + datapackage.others(previous, [r["name"] for r in own]),
    }


def write(result: Build, out: Path) -> list[Path]:
    """Write every output of a build as one set: the old set or the new one, never a mix
    (:func:`flows.atomic.replace_folder`). The resources of ``out``'s data package the build does not write
    are kept as they are."""
    return replace_folder(out, {
        TABLE: result.table_csv,
        LINEAGE: csv_text(result.lineage),
        CONFLICTS: csv_text(result.conflicts),
        REVISIONS: csv_text(result.revisions),
        ANNUAL_TABLE: csv_text(result.annual.reindex(columns=ANNUAL_TABLE_COLUMNS)),
        DESCRIPTOR: datapackage.text(descriptor(result, datapackage.read(out))),
    })
