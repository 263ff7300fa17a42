"""The extract contract: every file family described once, readers in rank order, rows as frames."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.extract import ANNUAL_COLUMNS, MONTHLY_COLUMNS, Extract, all_readers, families


def test_every_family_has_code_and_a_description_in_rank_order():
    readers = all_readers()
    assert [r.source for r in readers] == ["jnto_monthly", "tw_table_1_4", "tw_table_2_2", "tw_annual_departures",
                                           "tw_purpose_csv", "tw_residence_csv", "tourism_jp_inbound"]
    assert all(r.title and r.publisher and r.page.startswith("https://") for r in readers)


def test_code_and_sources_csv_must_agree(monkeypatch):
    code = dict(families.CODE)
    del code["tw_purpose_csv"]
    monkeypatch.setattr(families, "CODE", code)
    with pytest.raises(RuntimeError, match=r"only in the CSV \['tw_purpose_csv'\]"):
        families.readers()


def test_extract_frames_carry_what_the_file_shares():
    found = Extract("jnto_monthly", "w.xlsx", "2026-03-17",
                    monthly_rows=[("2026-01", "TW", "JP", "visitor_arrivals", 694500, "estimate", "2026", "B9")],
                    annual_rows=[(2026, "TW", "JP", "visitor_arrivals", 694500, "estimate", "2026", "Z9")])
    expected = pd.DataFrame([("2026-01", "TW", "JP", "visitor_arrivals", 694500, "estimate", "jnto_monthly", "w.xlsx",
                              "2026", "B9", "2026-03-17")], columns=MONTHLY_COLUMNS)
    pd.testing.assert_frame_equal(found.monthly, expected)
    assert found.annual.columns.tolist() == ANNUAL_COLUMNS and found.annual.year.tolist() == [2026]
    assert Extract("s", "f", "r").monthly.columns.tolist() == MONTHLY_COLUMNS
