"""The committed processed table: the official figures, coverage, and byte-for-byte rebuilds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.assemble import run
from flows.config import ANNUAL_TABLE, CONFLICTS, DESCRIPTOR, LINEAGE, REVISIONS, TABLE

PROCESSED = Path(__file__).resolve().parents[2] / "data" / "processed"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(PROCESSED / TABLE, dtype={"month": str})


def total(table, origin, destination, measure, period):
    rows = table[(table.origin == origin) & (table.destination == destination) & (table.measure == measure)
                 & table.month.str.startswith(period)]
    return int(rows.value.sum())


def test_columns_exactly_as_documented(table):
    assert list(table.columns) == ["month", "origin", "destination", "measure", "value", "status", "source"]


@pytest.mark.parametrize("origin, destination, measure, period, expected", [
    ("TW", "JP", "visitor_arrivals", "2019", 4_890_602),
    ("TW", "JP", "visitor_arrivals", "2024", 6_044_316),
    ("TW", "JP", "visitor_arrivals", "2024-01", 492_288),
    ("TW", "JP", "visitor_arrivals", "2025", 6_763_424),
    ("TW", "JP", "visitor_arrivals", "2026-01", 694_500),
    ("JP", "TW", "visitor_arrivals", "2019", 2_167_952),
    ("JP", "TW", "visitor_arrivals", "2024", 1_319_592),
    ("TW", "JP", "national_departures", "2019", 4_911_681),
    ("TW", "JP", "national_departures", "2024", 6_006_116),
    ("TW", "JP", "visitor_arrivals", "1996", 720_297),
    ("JP", "TW", "visitor_arrivals", "2011", 1_294_758),
])
def test_official_figures(table, origin, destination, measure, period, expected):
    assert total(table, origin, destination, measure, period) == expected


def test_statuses(table):
    tw = table[(table.origin == "TW") & (table.destination == "JP") & (table.measure == "visitor_arrivals")]
    status = tw.set_index("month").status
    assert status["2024-12"] == "final" and status["2025-12"] == "provisional"
    assert status["2026-01"] == "estimate" and status["2026-02"] == "estimate"


def test_two_way_total_2024_from_taiwans_statistics(table):
    departures = total(table, "TW", "JP", "national_departures", "2024")
    arrivals = total(table, "JP", "TW", "visitor_arrivals", "2024")
    assert departures + arrivals == 7_325_708


@pytest.mark.parametrize("origin, destination, measure, first, last", [
    ("TW", "JP", "visitor_arrivals", "1996-01", "2026-02"),
    ("JP", "TW", "visitor_arrivals", "2011-01", "2025-03"),
    ("TW", "JP", "national_departures", "2018-01", "2025-03"),
    ("ALL", "JP", "visitor_arrivals", "2003-01", "2026-02"),
])
def test_coverage_without_gaps(table, origin, destination, measure, first, last):
    months = table[(table.origin == origin) & (table.destination == destination) & (table.measure == measure)].month
    expected = pd.period_range(first, last, freq="M").strftime("%Y-%m").tolist()
    assert sorted(months) == expected


def test_rebuild_from_raw_is_byte_identical(raw_dir, tmp_path):
    shutil.copy(PROCESSED / DESCRIPTOR, tmp_path)  # the forecast's part of it, which the build keeps
    run(raw_dir, tmp_path)
    for name in (TABLE, LINEAGE, CONFLICTS, REVISIONS, ANNUAL_TABLE, DESCRIPTOR):
        assert (tmp_path / name).read_bytes() == (PROCESSED / name).read_bytes(), (
            f"{name} differs from a rebuild: run `make build` and commit data/processed")


def test_a_build_into_an_empty_folder_writes_the_same_part_of_the_package(raw_dir, tmp_path):
    """The build's part of datapackage.json is the same with or without the forecast's part beside it."""
    run(raw_dir, tmp_path)
    alone = json.loads((tmp_path / DESCRIPTOR).read_text(encoding="utf-8"))
    committed = json.loads((PROCESSED / DESCRIPTOR).read_text(encoding="utf-8"))
    names = [r["name"] for r in alone["resources"]]
    assert names == ["monthly_flows", "annual_flows", "lineage", "conflicts", "revisions"]
    assert {**committed, "resources": committed["resources"][:len(names)]} == alone
