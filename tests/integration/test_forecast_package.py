"""The committed forecast files are data products: keyed by codes and described, column by column, in
datapackage.json with their types and units, as the build's outputs are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from flows.config import DESCRIPTOR, FORECAST_ANNUAL, FORECAST_PATHS, FORECASTS, PANEL_BACKTEST, VINTAGES
from flows.forecast import keys

PROCESSED = Path(__file__).resolve().parents[2] / "data" / "processed"
FILES = (FORECASTS, FORECAST_ANNUAL, FORECAST_PATHS, PANEL_BACKTEST, VINTAGES)
FORMATS = {"yearmonth": r"\d{4}-(0[1-9]|1[0-2])", "year": r"\d{4}", "integer": r"-?\d+", "number": r"-?\d+(\.\d+)?"}


def resources() -> dict[str, dict]:
    package = json.loads((PROCESSED / DESCRIPTOR).read_text(encoding="utf-8"))
    return {r["path"]: r for r in package["resources"]}


def problems(frame: pd.DataFrame, resource: dict) -> list[str]:
    """Where ``frame`` (a file read as text) breaks its description: columns, types, units, constraints, key."""
    fields = resource["schema"]["fields"]
    found = [f"columns {list(frame.columns)} are described as {[f['name'] for f in fields]}"] \
        if [f["name"] for f in fields] != list(frame.columns) else []
    for field in fields:
        values = frame.get(field["name"], pd.Series(dtype=str))
        filled = values[values != ""]
        if "type" not in field or "description" not in field:
            found.append(f"{field['name']}: no type or description")
        elif field["type"] in FORMATS and not filled.str.fullmatch(FORMATS[field["type"]]).all():
            found.append(f"{field['name']}: not all {field['type']}")
        elif field["type"] == "boolean" and not values.isin(field["trueValues"] + field["falseValues"]).all():
            found.append(f"{field['name']}: not all boolean")
        if field["type"] in ("integer", "number") and field["name"] not in ("path", "horizon") \
                and field.get("unit") != "persons":
            found.append(f"{field['name']}: a count without its unit")
        if "enum" in field.get("constraints", {}) and not filled.isin(field["constraints"]["enum"]).all():
            found.append(f"{field['name']}: values outside {field['constraints']['enum']}")
    if frame.duplicated(resource["schema"]["primaryKey"]).any():
        found.append(f"primary key {resource['schema']['primaryKey']} not unique")
    return found


@pytest.mark.parametrize("name", FILES)
def test_datapackage_describes_every_column_of_every_forecast_file(name):
    described = resources()
    assert name in described, f"{name} is not described in {DESCRIPTOR}: run `flows forecast`"
    frame = pd.read_csv(PROCESSED / name, dtype=str, keep_default_na=False)
    assert problems(frame, described[name]) == []


def test_a_column_left_undescribed_is_found():
    resource = resources()[FORECASTS]
    frame = pd.read_csv(PROCESSED / FORECASTS, dtype=str, keep_default_na=False)
    assert problems(frame.assign(model="combo"), resource) == [
        f"columns {[*frame.columns, 'model']} are described as {list(frame.columns)}"]
    assert problems(frame.assign(mean="1.5e6"), resource) == ["mean: not all integer"]


def test_the_series_are_keyed_by_codes_and_the_model_is_stated_once():
    for name in (FORECASTS, FORECAST_ANNUAL, FORECAST_PATHS, VINTAGES):
        frame = pd.read_csv(PROCESSED / name, dtype=str, keep_default_na=False)
        pairs = frame[keys.KEY].drop_duplicates()
        assert pairs.to_dict("records") == [keys.key_of(d) for d in pairs["direction"]], name
        assert not any(re.search(r"[→↔ ]", value) for value in pairs.to_numpy().ravel()), name
    models = resources()[FORECASTS]["models"]
    assert set(models) == set(keys.DIRECTIONS) and "model" not in pd.read_csv(PROCESSED / FORECASTS).columns
