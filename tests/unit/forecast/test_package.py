"""flows.forecast.package: the forecast's part of datapackage.json, written beside the build's, which stays as it is."""

from __future__ import annotations

import json

from flows.assemble.expected import previous_raw_files
from flows.config import DESCRIPTOR
from flows.forecast import package

MODELS = {"tw_to_jp": "combo, under the ceiling", "jp_to_tw": "combo", "two_way": "both, drawn together"}
MONTHS = ["2026-03", "2026-04"]
BUILT = {"profile": "tabular-data-package", "name": "flows", "raw_files": [{"path": "a.xlsx", "sha256": "0" * 64,
                                                                            "source": "jnto_monthly"}],
         "resources": [{"name": "monthly_flows", "path": "monthly_flows.csv", "description": "«the table»"}]}


def test_the_forecast_describes_its_files_after_the_builds_part_and_keeps_that_part(tmp_path):
    built = json.dumps(BUILT, ensure_ascii=False, indent=2) + "\n"
    (tmp_path / DESCRIPTOR).write_text(built, encoding="utf-8")
    text = package.text(tmp_path, MODELS, MONTHS)
    described = json.loads(text)
    assert [r["name"] for r in described["resources"]] == ["monthly_flows", "forecasts", "forecast_annual",
                                                           "forecast_paths", "panel_backtest", "forecast_vintages"]
    assert {k: v for k, v in described.items() if k != "resources"} == {k: v for k, v in BUILT.items() if k != "resources"}
    assert text.startswith(built.split('"«the table»"')[0])
    (tmp_path / DESCRIPTOR).write_text(text, encoding="utf-8")
    assert package.text(tmp_path, MODELS, MONTHS) == text  # described again: the same bytes
    assert package.models(tmp_path) == MODELS
    paths = described["resources"][3]["schema"]["fields"]
    assert [f["name"] for f in paths][-2:] == MONTHS and all(f["unit"] == "persons" for f in paths[-2:])


def test_without_a_build_the_package_holds_the_forecasts_part_and_a_build_can_follow(tmp_path):
    (tmp_path / DESCRIPTOR).write_text(package.text(tmp_path, MODELS, MONTHS), encoding="utf-8")
    assert previous_raw_files(tmp_path) == []
    assert package.models(tmp_path / "elsewhere") == {}
