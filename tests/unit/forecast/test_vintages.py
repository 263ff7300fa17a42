"""flows.forecast.vintages: the file only grows, a vintage is recorded once, every vintage is scored."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.config import VINTAGES
from flows.errors import RawFileError
from flows.forecast import keys
from flows.forecast import vintages as vt


def forecasts(as_of: str, months: list[str], mean: float, direction: str = "tw_to_jp") -> pd.DataFrame:
    n = len(months)
    return keys.with_key(pd.DataFrame({"month": months, "mean": [mean] * n,
                                       "lower_80": [mean - 10] * n, "upper_80": [mean + 10] * n,
                                       "lower_95": [mean - 20] * n, "upper_95": [mean + 20] * n,
                                       "as_of": as_of, "method_version": "m"}), direction)


def test_appending_creates_the_file_then_adds_after_the_existing_bytes(tmp_path):
    first = vt.vintage_rows(forecasts("2024-06", ["2024-07", "2024-08"], 100), "v1", backfilled=True)
    assert vt.append(tmp_path, first)
    text = (tmp_path / VINTAGES).read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(vt.COLUMNS)
    assert text.splitlines()[1] == "2024-06,v1,true,tw_to_jp,TW,JP,visitor_arrivals,2024-07,100,90,110,80,120"
    second = vt.vintage_rows(forecasts("2024-12", ["2025-01"], 130), "v1", backfilled=False)
    assert vt.append(tmp_path, second)
    grown = (tmp_path / VINTAGES).read_text(encoding="utf-8")
    assert grown.startswith(text)
    assert grown[len(text):] == "2024-12,v1,false,tw_to_jp,TW,JP,visitor_arrivals,2025-01,130,120,140,110,150\n"


def test_a_recorded_vintage_is_never_rewritten_nor_duplicated(tmp_path):
    rows = vt.vintage_rows(forecasts("2024-06", ["2024-07"], 100), "v1", backfilled=False)
    vt.append(tmp_path, rows)
    before = (tmp_path / VINTAGES).read_bytes()
    rerun = vt.vintage_rows(forecasts("2024-06", ["2024-07"], 999), "v1", backfilled=False)
    assert not vt.append(tmp_path, rerun)  # same as_of and method version: kept as it was
    assert (tmp_path / VINTAGES).read_bytes() == before
    recorded = vt.read_vintages(tmp_path)
    assert vt.same_numbers(recorded, rows) and not vt.same_numbers(recorded, rerun)
    # Another CPU's last digits (mean +0.3 %, bounds within 2 %) are the same vintage: no warning.
    noise = vt.vintage_rows(forecasts("2024-06", ["2024-07"], 1000), "v1", backfilled=False)
    vt.append(tmp_path / "cpu", noise)
    assert vt.same_numbers(vt.read_vintages(tmp_path / "cpu"), noise.assign(mean=1003, lower_95=985))
    assert not vt.same_numbers(vt.read_vintages(tmp_path / "cpu"), noise.assign(mean=1011))
    # A new method version is recorded beside the old one.
    assert vt.append(tmp_path, vt.vintage_rows(forecasts("2024-06", ["2024-07"], 999), "v2", backfilled=False))
    assert vt.recorded(vt.read_vintages(tmp_path)) == {("2024-06", "v1"), ("2024-06", "v2")}


def test_a_file_with_another_header_is_refused(tmp_path):
    """Such as the layout before the files were keyed by codes (series labels)."""
    (tmp_path / VINTAGES).write_text("as_of,method_version,backfilled,series,month,mean,lower_80,upper_80,lower_95,"
                                     "upper_95\n2024-06,v1,true,TW→JP visitor_arrivals,2024-07,1,1,1,1,1\n",
                                     encoding="utf-8")
    rows = vt.vintage_rows(forecasts("2024-12", ["2025-01"], 1), "v1", backfilled=False)
    with pytest.raises(RawFileError, match="line 1"):
        vt.append(tmp_path, rows)
    with pytest.raises(RawFileError, match="expected the header"):
        vt.read_vintages(tmp_path)


def test_one_vintage_at_a_time():
    rows = pd.concat([vt.vintage_rows(forecasts(a, ["2025-01"], 1), "v1", False) for a in ("2024-06", "2024-12")])
    with pytest.raises(ValueError, match="one vintage at a time"):
        vt.append("unused", rows)


def test_every_vintage_is_scored_on_the_months_published_since():
    v = pd.concat([
        vt.vintage_rows(forecasts("2024-06", ["2024-06", "2024-07", "2024-08", "2024-09"], 100), "v1", True),
        vt.vintage_rows(forecasts("2024-08", ["2024-09", "2024-10"], 100), "v1", False),
    ], ignore_index=True)
    # 2024-06 is not after its as_of; 2024-10 is not published yet.
    actual = pd.Series([1.0, 110.0, 125.0, 100.0], index=pd.period_range("2024-06", periods=4, freq="M"))
    s = vt.score(v, {"tw_to_jp": actual}).set_index("as_of")
    assert s.loc["2024-06", "n"] == 3 and (s.loc["2024-06", "first"], s.loc["2024-06", "last"]) == ("2024-07", "2024-09")
    ape = [100 * 10 / 110, 100 * 25 / 125, 0.0]
    assert s.loc["2024-06", "mape"] == pytest.approx(sum(ape) / 3)
    assert s.loc["2024-06", "bias"] == pytest.approx((-100 * 10 / 110 - 100 * 25 / 125 + 0) / 3)
    assert s.loc["2024-06", "coverage_80"] == pytest.approx(2 / 3)  # 125 is outside 90–110
    assert s.loc["2024-06", "coverage_95"] == pytest.approx(2 / 3)  # and outside 80–120
    assert s.loc["2024-08", "n"] == 1 and s.loc["2024-08", "mape"] == 0.0
    by_year = vt.score(v, {"tw_to_jp": actual}, by_year=True)
    assert set(by_year["year"]) == {2024}


def test_the_two_way_total_keeps_its_empty_origin_and_destination(tmp_path):
    rows = vt.vintage_rows(forecasts("2024-06", ["2024-07"], 100, "two_way"), "v1", backfilled=False)
    vt.append(tmp_path, rows)
    assert (tmp_path / VINTAGES).read_text(encoding="utf-8").splitlines()[1].startswith("2024-06,v1,false,two_way,,,")
    recorded = vt.read_vintages(tmp_path)
    assert recorded[["origin", "destination"]].values.tolist() == [["", ""]] and vt.same_numbers(recorded, rows)
