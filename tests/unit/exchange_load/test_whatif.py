"""The what-if explorer's numbers (flows.exchange_load.whatif) are notebook 04's, and bad assumption
files are refused in one line naming the key.

The travellers are the committed outlook's (data/processed, as notebook 05 reads them), cut to 120 paths
so the full run stays quick.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from flows.cli import main
from flows.exchange_load import assumptions as asm
from flows.exchange_load import whatif
from flows.site.notebook_store import lab_form
from flows.site.publication import WHATIF_PAGE, for_publication
from flows.vocabulary import JP_TO_TW, TW_TO_JP

REPO = Path(__file__).resolve().parents[3]
PROCESSED = REPO / "data" / "processed"
YAML = REPO / "src" / "flows" / "data" / "border_assumptions.yaml"
# Three settings the explorer must get right: a day factor and the share, the hours, and a
# Lunar New Year factor that moves only some days; capacity moves only the count.
SETTINGS = [
    {"third_country_share_tw_jp": 0.25, "break_start_multiplier": 2.0, "capacity_per_hour": 3000},
    {"weekday_weights": [1, 1, 1, 1, 1.6, 1.8, 1.2], "hourly_profile": [4.1667] * 23 + [4.1659]},
    {"lunar_new_year_multiplier": 3.0, "origin_holiday_multiplier": 0.5, "capacity_per_hour": 1500},
]


@pytest.fixture(scope="module")
def travellers() -> pd.DataFrame:
    return whatif.outlook_travellers_from(PROCESSED).iloc[:, :120]


@pytest.fixture(scope="module")
def explorer(travellers) -> whatif.Explorer:
    return whatif.Explorer(travellers, TW_TO_JP)


@pytest.mark.parametrize("setting", SETTINGS, ids=["share+break", "weekday+hours", "lunar+holiday"])
def test_explorer_gives_the_full_runs_numbers_path_for_path(travellers, explorer, a, setting):
    changed = a.replace(**setting)
    full = whatif.full_per_path(travellers, changed, TW_TO_JP)
    for year in explorer.years:
        fast = explorer.per_path(changed, year)
        for name in whatif.FIGURES:
            pd.testing.assert_frame_equal(fast[name], full[name].loc[[year]], check_dtype=False, obj=f"{name} {year}")
        assert explorer.figures(changed, year, 0.95).equals(whatif.at_quantile(full, 0.95).loc[year])


def test_changed_assumptions_change_the_figures(explorer, a):
    year = explorer.years[-1]
    before = explorer.figures(a, year)
    after = explorer.figures(a.replace(third_country_share_tw_jp=0.5), year)
    assert (after[["records_ordinary_day", "records_peak_day", "records_peak_hour"]]
            > 1.3 * before[["records_ordinary_day", "records_peak_day", "records_peak_hour"]]).all()
    fewer = explorer.figures(a.replace(capacity_per_hour=int(before["capacity_99pct_hours"])), year)
    assert fewer["days_above_capacity"] >= 1 and before["days_above_capacity"] == 0


def test_days_above_each_capacity_are_the_counts_of_the_full_run(travellers, explorer, a):
    year = explorer.years[-1]
    levels = explorer.days_above_levels(a, year, [1000, 2500, 4000])
    for capacity in levels.index:
        full = whatif.full_per_path(travellers, a.replace(capacity_per_hour=capacity), TW_TO_JP)
        assert levels.loc[capacity, "p50"] == whatif.at_quantile(full, 0.5).loc[year, "days_above_capacity"]


def test_explorer_refuses_a_year_or_quantile_it_does_not_hold(explorer, a):
    with pytest.raises(ValueError, match="outside the outlook's years"):
        explorer.figures(a, 2040)
    with pytest.raises(ValueError, match="not one of the outlook's"):
        explorer.figures(a, explorer.years[-1], 0.42)


def test_controls_cover_the_assumptions_of_the_baseline_load():
    assert whatif.controlled(TW_TO_JP)[0] == "third_country_share_tw_jp"
    assert "lunar_new_year_multiplier" in whatif.controlled(TW_TO_JP)
    assert "lunar_new_year_multiplier" not in whatif.controlled(JP_TO_TW)  # a TW -> JP factor only
    assert whatif.controlled(JP_TO_TW)[0] == "third_country_share_jp_tw"


def test_the_yaml_snippet_pasted_back_gives_the_same_assumptions(tmp_path, a):
    changed = a.replace(third_country_share_tw_jp=0.25, weekday_weights=[1, 1, 1, 1, 1.5, 1.5, 1],
                        capacity_per_hour=7000)
    names = whatif.controlled(TW_TO_JP)
    snippet = whatif.yaml_snippet(changed, names, a)
    assert "# in the YAML: 0.1" in snippet
    raw = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    for name, entry in yaml.safe_load(snippet).items():
        raw[name]["value"] = entry["value"]
    path = tmp_path / "pasted.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    pasted = asm.read_assumptions(path)
    assert all(getattr(pasted, n) == getattr(changed, n) for n in names)


def test_sensitivity_ranks_by_swing_and_its_figures_are_the_explorers(explorer, a):
    year = explorer.years[-1]
    ranking = whatif.sensitivity(explorer, a, year)
    assert list(ranking["swing"]) == sorted(ranking["swing"], reverse=True)
    assert set(ranking["assumption"]) == set(whatif.scalar_controls(a, TW_TO_JP))
    top = ranking.iloc[0]
    high = explorer.figures(a.replace(**{top["assumption"]: top["high end"]}), year)["records_peak_hour"]
    assert top["figure at high end"] == high


def test_grid_holds_the_explorers_figures_for_each_setting(explorer, a):
    data = whatif.grid(explorer, a, ["break_start_multiplier"], [2000, 5000], points=2)
    assert data["values"]["break_start_multiplier"] == [1.0, 1.4, 3.0]
    i, y = data["settings"].index([3.0]), data["years"].index(explorer.years[-1])
    expected = explorer.figures(a.replace(break_start_multiplier=3.0), explorer.years[-1], 0.75)
    q = data["quantiles"].index(0.75)
    for k, name in enumerate(data["figures"]):
        if name != "days_above_capacity":
            assert data["results"][i]["figures"][y][k][q] == expected[name]
    assert data["results"][i]["days_above"][y][data["capacities"].index(5000)][q] == expected["days_above_capacity"]


def _yaml_with(tmp_path, name: str, value) -> Path:
    raw = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    raw[name]["value"] = value
    path = tmp_path / "assumptions.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_a_yaml_value_outside_its_range_is_refused_naming_file_and_key(tmp_path):
    path = _yaml_with(tmp_path, "break_start_multiplier", 3.5)
    with pytest.raises(asm.AssumptionError) as caught:
        asm.read_assumptions(path)
    message = str(caught.value)
    assert "\n" not in message
    assert re.match(rf"{re.escape(str(path))}: assumption 'break_start_multiplier' = 3\.5 is outside its allowed "
                    r"range \[1\.0, 3\.0\]", message)


@pytest.mark.parametrize("text, message", [
    ("- just\n- a list\n", "expected a mapping of assumption names"),
    ("surge_days: [1, 2\n", "not valid YAML at line"),
    ("surge_days: 14\n", "'surge_days' must be a mapping"),
    ("surge_days:\n  value: 14\n  unit: days\n  range: [1]\n  source: s\n", r"range must be \[min, max\]"),
])
def test_a_malformed_assumptions_file_is_refused_in_one_line(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(asm.AssumptionError, match=message) as caught:
        asm.read_assumptions(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_flows_assumptions_checks_a_file_in_one_line(tmp_path, capsys):
    assert main(["assumptions"]) == 0
    assert capsys.readouterr().out.strip().endswith("every value within its range")
    path = _yaml_with(tmp_path, "third_country_share_tw_jp", 1.5)
    assert main(["assumptions", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "'third_country_share_tw_jp' = 1.5 is outside its allowed range" in err


def _widget_output(model_id: str) -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2,
                                                                  "version_minor": 0},
                     "text/plain": "a widget"}}


def test_the_explorers_widget_is_stored_and_published_as_a_pointer(a):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cell = new_code_cell("w", execution_count=1)
    cell.outputs = [nbformat.from_dict(_widget_output("flows-whatif-explorer")),
                    nbformat.from_dict(_widget_output("5d0b2b0c1e7f4a57a3f1a0e0c2b1d9aa"))]
    nb = new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    stored = lab_form(nb)
    ids = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for o in stored.cells[0].outputs]
    assert ids == ["flows-whatif-explorer"]  # a progress bar's random id is dropped, the explorer's kept
    published = for_publication(stored).cells[0].outputs[0]["data"]
    assert list(published) == ["text/html"] and f'href="{WHATIF_PAGE}"' in published["text/html"]
