"""`render_index`: the index page shows what the key figures hold, and says what they lack."""

from __future__ import annotations

import pandas as pd

from flows.site.figures import key_figures
from flows.site.index import render_index
from site_inputs import write_processed


def test_missing_forecasts_gives_a_note_not_an_error(tmp_path):
    f = key_figures(write_processed(tmp_path, forecasts=False))
    assert f.outlook is None and "forecasts.csv" in f.outlook_note
    page = render_index(f, [("01_audit.html", "Audit", None)])
    assert 'id="outlook-note"' in page and "7,325,708" in page


def test_incomplete_headline_year_is_not_summed(tmp_path):
    processed = write_processed(tmp_path)
    df = pd.read_csv(processed / "monthly_flows.csv")
    df = df[~((df.origin == "JP") & (df.month == "2024-07"))]
    df.to_csv(processed / "monthly_flows.csv", index=False)
    f = key_figures(processed)
    assert f.headline.total is None and f.headline.months == (12, 11)
    assert "7,325,708" not in render_index(f, [])
