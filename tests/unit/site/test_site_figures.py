"""`key_figures`: the index's numbers, computed from the processed table and the outlook file."""

from __future__ import annotations

from flows.site.figures import key_figures
from site_inputs import JP_TW_ARRIVALS_2024, TW_JP_DEPARTURES_2024, spread, write_processed


def test_key_figures_latest_month_status_and_12_month_totals(tmp_path):
    f = key_figures(write_processed(tmp_path))
    by = {(s.origin, s.destination, s.measure): s for s in f.series}
    dep = by[("TW", "JP", "national_departures")]
    assert (dep.latest_month, dep.latest_status, dep.latest_value) == ("2025-03", "provisional",
                                                                       500_003)
    assert dep.window_start == "2024-04"
    expected = sum(spread(TW_JP_DEPARTURES_2024)[3:]) + 500_001 + 500_002 + 500_003
    assert dep.total_12m == expected
    assert dep.window_statuses == {"final": 9, "provisional": 3}
    jnto = by[("TW", "JP", "visitor_arrivals")]
    assert (jnto.latest_month, jnto.latest_status) == ("2025-02", "estimate")
    assert f.headline.total == TW_JP_DEPARTURES_2024 + JP_TW_ARRIVALS_2024
    assert f.data_as_of == "2025-03"
    [o] = f.outlook
    assert (o.year, o.year_total, o.month, o.mean, o.lower_95) == (2030, 7_200_000, "2030-12",
                                                                   600_000, 510_000)
    # The year's outlook is the annual file's: bounds of the paths' annual totals.
    assert o.annual == {"median": 7_203_000, "mean": 7_200_000, "lower_80": 6_000_000, "upper_80": 8_500_000,
                        "lower_95": 5_500_000, "upper_95": 9_800_000}


def test_as_of_cuts_later_months(tmp_path):
    f = key_figures(write_processed(tmp_path), as_of="2024-12")
    assert {s.latest_month for s in f.series} == {"2024-12"}
    assert all(s.total_12m is not None for s in f.series)
