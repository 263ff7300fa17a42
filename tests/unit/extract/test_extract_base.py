"""The extract contract: rows as frames carrying what the file shares."""

from __future__ import annotations

import pandas as pd

from flows.extract.base import ANNUAL_COLUMNS, MONTHLY_COLUMNS, Extract


def test_extract_frames_carry_what_the_file_shares():
    found = Extract("jnto_monthly", "w.xlsx", "2026-03-17",
                    monthly_rows=[("2026-01", "TW", "JP", "visitor_arrivals", 694500, "estimate", "2026", "B9")],
                    annual_rows=[(2026, "TW", "JP", "visitor_arrivals", 694500, "estimate", "2026", "Z9")])
    expected = pd.DataFrame([("2026-01", "TW", "JP", "visitor_arrivals", 694500, "estimate", "jnto_monthly", "w.xlsx",
                              "2026", "B9", "2026-03-17")], columns=MONTHLY_COLUMNS)
    pd.testing.assert_frame_equal(found.monthly, expected)
    assert found.annual.columns.tolist() == ANNUAL_COLUMNS and found.annual.year.tolist() == [2026]
    assert Extract("s", "f", "r").monthly.columns.tolist() == MONTHLY_COLUMNS
