"""`render_index`: the index page shows what the key figures hold, and says what they lack."""

from __future__ import annotations

import json
import re

import pandas as pd

from flows.site.figures import key_figures
from flows.site.index import render_index
from flows.site.provenance import built_from
from site_inputs import write_processed


def test_missing_forecasts_gives_a_note_not_an_error(tmp_path):
    f = key_figures(write_processed(tmp_path, forecasts=False))
    assert f.outlook is None and "forecasts.csv" in f.outlook_note
    page = render_index(f, [("01_audit.html", "Audit", None)])
    assert 'id="outlook-note"' in page and "7,325,708" in page


def test_the_index_shows_the_horizon_years_annual_outlook_with_its_intervals(tmp_path):
    page = render_index(key_figures(write_processed(tmp_path)), [])
    assert "<h2>Outlook 2030</h2>" in page and "2030: median" in page
    row = re.search(r"<tr><td>[^<]*</td><td>2025-03</td>(.*?)</tr>", page).group(1)
    assert "7,203,000" in row and "6,000,000 – 8,500,000" in row and "5,500,000 – 9,800,000" in row


def test_the_outlook_is_named_from_its_codes_and_its_model_in_the_words_of_the_data_package(tmp_path):
    processed = write_processed(tmp_path)
    row = re.search(r"<tr><td>([^<]*)</td><td>2025-03</td>.*?<td>([^<]*)</td></tr>",
                    render_index(key_figures(processed), [])).groups()
    assert row == ("Taiwanese arrivals in Japan (JNTO&#x27;s count)", "ets")  # no package: the method version
    forecasts = {"name": "forecasts", "path": "forecasts.csv", "models": {"tw_to_jp": "ETS, 1000 paths"}}
    (processed / "datapackage.json").write_text(json.dumps({"resources": [forecasts]}), encoding="utf-8")
    assert "<td>ETS, 1000 paths</td></tr>" in render_index(key_figures(processed), [])


def test_incomplete_headline_year_is_not_summed(tmp_path):
    processed = write_processed(tmp_path)
    df = pd.read_csv(processed / "monthly_flows.csv")
    df = df[~((df.origin == "JP") & (df.month == "2024-07"))]
    df.to_csv(processed / "monthly_flows.csv", index=False)
    f = key_figures(processed)
    assert f.headline.total is None and f.headline.months == (12, 11)
    assert "7,325,708" not in render_index(f, [])


def _package(directory, files):
    """A datapackage.json and lineage naming ``files`` (path, source, release or None)."""
    sources = [{"name": "tw_table_2_2", "title": "Table 2-2 Outbound Departures",
                "publisher": "Tourism Administration, MOTC"}]
    raw_files = [{"path": p, "source": s, "sha256": "0" * 64, "bytes": 1} for p, s, _ in files]
    (directory / "datapackage.json").write_text(json.dumps({"sources": sources, "raw_files": raw_files}),
                                                encoding="utf-8")
    lineage = [("2024-01", "TW", "JP", "national_departures", s, p, "sheet", "D17", r) for p, s, r in files if r]
    pd.DataFrame(lineage, columns=["month", "origin", "destination", "measure", "source", "file", "sheet", "cell",
                                   "release"]).to_csv(directory / "monthly_flows_lineage.csv", index=False)


def test_index_says_it_was_built_from_the_committed_table_and_the_data_month(tmp_path):
    processed = write_processed(tmp_path)
    _package(processed, [("t/2-2 (2024-01).xlsx", "tw_table_2_2", "2024-01"),
                         ("t/2-2 (2025-03).xlsx", "tw_table_2_2", "2025-03"),
                         ("t/annual.csv", "tw_annual_departures", None)])
    page = render_index(key_figures(processed), [], built_from=built_from(processed, from_raw=False))
    said = _built_from_sentence(page)
    assert said.startswith("Built from the committed table <code>monthly_flows.csv</code>")
    assert "from 3 official raw files" in said and "no raw files were read for this report" in said
    assert "Data as of <strong>2025-03</strong>" in said
    sources = re.search(r'<table id="sources">(.*?)</table>', page).group(1)
    assert "Table 2-2 Outbound Departures" in sources and "2024-01 … 2025-03" in sources
    assert "tw_annual_departures" in sources and "— (checks only)" in sources


def test_index_rebuilt_from_raw_files_names_them_and_a_cut_off(tmp_path):
    processed = write_processed(tmp_path)
    _package(processed, [("t/2-2 (2024-01).xlsx", "tw_table_2_2", "2024-01")])
    source = built_from(processed, from_raw=True, as_of="2024-12")
    said = _built_from_sentence(render_index(key_figures(processed, as_of="2024-12"), [], built_from=source))
    assert said.startswith("Built for this report from 1 official raw file, read into")
    assert "Data as of <strong>2024-12</strong> (the table runs to 2025-03; later months are left out)" in said


def _built_from_sentence(page: str) -> str:
    return re.search(r'<p class="note" id="built-from">(.*?)</p>', page).group(1)


def test_text_from_notebooks_and_files_is_escaped(tmp_path):
    """A title, an error or a failure holding markup shows as text, never as markup."""
    page = render_index(key_figures(write_processed(tmp_path)), [("01_a.html", "<b>Audit</b> & more", "x<y")],
                        skipped=["02_<i>"], failure="it's \"bad\" <here>")
    assert "<b>Audit" not in page and "&lt;b&gt;Audit&lt;/b&gt; &amp; more" in page
    assert "failed: x&lt;y" in page and "02_&lt;i&gt;" in page
    assert "Report incomplete: it&#x27;s &quot;bad&quot; &lt;here&gt;" in page
