"""flows.analysis (table, audit): the processed table loaded into series, totals and coverage."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from flows.analysis.audit import coverage, not_final, resolve_raw_dir, series_summary, source_summary
from flows.analysis.table import (
    annual_totals,
    last_complete_year,
    latest_month,
    load_outputs,
    load_table,
    series,
    two_way_total,
    two_way_year,
)
from flows.assemble.verify import check_table

ROWS = """month,origin,destination,measure,value,status,source
2024-01,TW,JP,visitor_arrivals,492288,final,jnto_monthly
2024-02,TW,JP,visitor_arrivals,502237,final,jnto_monthly
2024-03,TW,JP,visitor_arrivals,474000,estimate,jnto_monthly
2024-01,TW,JP,national_departures,480000,final,tw_table_2_2
2024-02,TW,JP,national_departures,490000,provisional,tw_table_2_2
2024-01,JP,TW,visitor_arrivals,100000,final,tw_table_1_4
2024-02,JP,TW,visitor_arrivals,110000,final,tw_table_1_4
2024-03,JP,TW,visitor_arrivals,120000,final,tw_table_1_4
2024-01,ALL,JP,visitor_arrivals,2688100,final,jnto_monthly
"""


@pytest.fixture
def processed(tmp_path):
    (tmp_path / "monthly_flows.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "conflicts.csv").write_text("month,origin,destination,measure,value,source,file,cell,other_value,"
                                            "other_source,other_file,other_cell\n", encoding="utf-8")
    (tmp_path / "revisions.csv").write_text("month,origin,destination,measure,old_value,new_value\n"
                                            "2024-01,TW,JP,visitor_arrivals,492200,492288\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "x"}), encoding="utf-8")
    return tmp_path


def test_load_table_types_and_order(processed):
    table = load_table(processed)
    assert isinstance(table["month"].dtype, pd.PeriodDtype)
    assert table["value"].dtype == "int64"
    assert table.iloc[0][["origin", "destination", "measure"]].tolist() == ["ALL", "JP", "visitor_arrivals"]


def test_series_is_monthly_and_named(processed):
    s = series(load_table(processed), "TW", "JP", "visitor_arrivals")
    assert s.index.equals(pd.period_range("2024-01", "2024-03", freq="M", name="month"))
    assert s.tolist() == [492288, 502237, 474000]
    assert s.name == "TW→JP visitor_arrivals"


def test_series_missing_names_what_exists(processed):
    with pytest.raises(KeyError, match="TW→KR visitor_arrivals"):
        series(load_table(processed), "TW", "KR", "visitor_arrivals")


def test_two_way_total_adds_one_series_per_direction(processed):
    table = load_table(processed)
    taiwan = two_way_total(table, "taiwan")
    assert taiwan["two_way"].tolist() == [580000, 600000]  # departures + arrivals, months both hold
    jnto = two_way_total(table, "jnto")
    assert jnto["two_way"].tolist() == [592288, 612237, 594000]
    with pytest.raises(ValueError):
        two_way_total(table, "both")


def test_annual_totals_keep_complete_years_only():
    s = pd.Series(1, index=pd.period_range("2023-01", "2024-06", freq="M"))
    assert annual_totals(s).to_dict() == {2023: 12}
    assert annual_totals(s, complete_only=False).to_dict() == {2023: 12, 2024: 6}


def test_coverage_marks_missing_months(processed):
    cov = coverage(load_table(processed))
    dep = cov[cov["series"] == "TW→JP national_departures"].set_index("month")
    assert dep["status"].tolist() == ["final", "provisional", "missing"]
    assert pd.isna(dep.loc[pd.Period("2024-03", "M"), "value"])
    assert len(cov) == 4 * 3
    picked = coverage(load_table(processed), [("JP", "TW", "visitor_arrivals"), ("TW", "JP", "visitor_arrivals")])
    assert list(dict.fromkeys(picked["series"])) == ["JP→TW visitor_arrivals", "TW→JP visitor_arrivals"]


def test_series_summary_counts_statuses(processed):
    summary = series_summary(load_table(processed)).set_index(["origin", "destination", "measure"])
    row = summary.loc[("TW", "JP", "visitor_arrivals")]
    assert (row["final"], row["provisional"], row["estimate"], row["months"]) == (2, 0, 1, 3)


def test_load_outputs(processed):
    out = load_outputs(processed)
    assert len(out["revisions"]) == 1 and out["datapackage"]["name"] == "x"


def test_latest_month(processed):
    table = load_table(processed)
    assert latest_month(table) == pd.Period("2024-03", "M")
    assert latest_month(table, "2024-02") == pd.Period("2024-02", "M")


def test_resolve_raw_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWS_RAW", str(tmp_path / "raw"))
    assert resolve_raw_dir(None) is None, "only an explicit raw_dir triggers the rebuild check"
    (tmp_path / "raw").mkdir()
    assert resolve_raw_dir(str(tmp_path / "raw")) is None  # empty folder: nothing to rebuild from
    (tmp_path / "raw" / "a.xlsx").write_text("x")
    assert resolve_raw_dir(tmp_path / "raw") == tmp_path / "raw"


def test_two_way_year_and_last_complete_year():
    months = pd.period_range("2023-01", "2024-12", freq="M").astype(str)
    rows = [(m, o, d, meas, v, "final", "x") for m in months
            for o, d, meas, v in (("TW", "JP", "national_departures", 500), ("TW", "JP", "visitor_arrivals", 510),
                                  ("JP", "TW", "visitor_arrivals", 100))]
    table = pd.DataFrame(rows, columns=["month", "origin", "destination", "measure", "value", "status", "source"])
    table["month"] = pd.PeriodIndex(table["month"], freq="M")
    year = two_way_year(table, 2024)
    assert year.loc["taiwan"].tolist() == [6000, 1200, 7200]
    assert year.loc["jnto", "two_way"] == 7320
    assert last_complete_year(two_way_total(table)) == 2024
    with pytest.raises(ValueError):
        two_way_year(table, 2025)


def test_not_final_and_check_table(processed):
    table = load_table(processed)
    runs = not_final(table, [("TW", "JP", "visitor_arrivals"), ("TW", "JP", "national_departures")])
    assert runs[["series", "status", "first", "months"]].values.tolist() == [
        ["TW→JP visitor_arrivals", "estimate", "2024-03", 1], ["TW→JP national_departures", "provisional", "2024-02", 1]]
    assert all(problems == [] for problems in check_table(table).values())
    broken = table.drop(index=table.index[(table["origin"] == "JP")][1])
    assert any(check_table(broken).values())


def test_source_summary(processed):
    summary = source_summary(load_table(processed))
    row = summary.loc[("jnto_monthly", "visitor_arrivals")]
    assert (row["series"], row["values"], str(row["first"]), str(row["last"])) == (2, 4, "2024-01", "2024-03")
