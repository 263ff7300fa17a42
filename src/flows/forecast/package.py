"""The forecast files in ``data/processed/datapackage.json``: fields, types and units of every file
``flows forecast`` writes, and the outlook's models in words, stated once.

:func:`resources` describes ``forecasts.csv``, ``forecast_annual.csv``, ``forecast_paths.csv`` (one field
per month it holds), ``panel_backtest.csv`` and ``forecast_vintages.csv``; :func:`text` puts them in the
package beside the build's part, which it keeps as it is (:mod:`flows.datapackage`). The resource of
``forecasts.csv`` carries ``models``: each direction's model in words, for the ``method_version`` in its
rows (the files themselves hold codes and figures only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from flows import datapackage
from flows.config import FORECAST_ANNUAL, FORECAST_PATHS, FORECASTS, PANEL_BACKTEST, VINTAGES
from flows.forecast import keys, outlook_files, panel_file, vintages
from flows.forecast.outlook import VALUES
from flows.vocabulary import MEASURES

_PERSONS = {"type": "integer", "unit": "persons"}
_DESCRIPTIONS = {
    "median": "Median of the sample paths: the published point.",
    "mean": "Mean of the sample paths: the expected count, which adds up across months and directions.",
    "lower_80": "Lower bound of the central 80 % interval of the sample paths.",
    "upper_80": "Upper bound of the central 80 % interval of the sample paths.",
    "lower_95": "Lower bound of the central 95 % interval of the sample paths.",
    "upper_95": "Upper bound of the central 95 % interval of the sample paths.",
}
KEY_FIELDS = [
    {"name": "direction", "type": "string", "constraints": {"enum": list(keys.DIRECTIONS)},
     "description": "tw_to_jp: Taiwan → Japan; jp_to_tw: Japan → Taiwan; two_way: their sum, path by path "
                    "(never a series and its own mirror)."},
    {"name": "origin", "type": "string",
     "description": "Origin code of the monthly_flows series the direction continues (TW: JNTO's count of "
                    "Taiwanese arrivals; JP: Taiwan's count of arrivals of residents of Japan); empty for "
                    "two_way, which is no series of the table."},
    {"name": "destination", "type": "string",
     "description": "Destination code of that series (JP, TW); empty for two_way."},
    {"name": "measure", "type": "string", "constraints": {"enum": list(MEASURES)},
     "description": "Measure of that series as in monthly_flows (for two_way, its parts' measure)."},
]
_MONTH = {"type": "yearmonth", "format": "YYYY-MM"}
_AS_OF = {"name": "as_of", **_MONTH, "description": "The last month of data the forecast saw."}
_VERSION = {"name": "method_version", "type": "string",
            "description": "The method that made the figures (flows.forecast.outlook.METHOD_VERSION)."}


def _values(names: Sequence[str], what: str) -> list[dict]:
    return [{"name": n, **_PERSONS, "description": f"{_DESCRIPTIONS[n]} {what}"} for n in names]


def forecasts_resource(models: Mapping[str, str]) -> dict:
    fields = [*KEY_FIELDS, {"name": "month", **_MONTH, "description": "The month forecast."},
              *_values(VALUES, "Persons (trips) in the month."), _AS_OF, _VERSION]
    return {"name": "forecasts", "path": FORECASTS, "profile": "tabular-data-resource",
            "description": "The outlook by month (flows forecast): each direction from the month after its last "
                           "published one to the horizon, summaries of the sample paths of forecast_paths.csv. "
                           "models: each direction's model in words, for the method_version of the rows.",
            "models": dict(models),
            "schema": {"fields": fields, "primaryKey": ["direction", "month"]}}


def annual_resource() -> dict:
    fields = [*KEY_FIELDS, {"name": "year", "type": "year", "description": "The calendar year."},
              *_values(VALUES, "Persons (trips) in the year: read from the paths' annual totals (published months "
                               "included), never a sum of monthly bounds."), _AS_OF, _VERSION]
    return {"name": "forecast_annual", "path": FORECAST_ANNUAL, "profile": "tabular-data-resource",
            "description": "The outlook by calendar year, every year with a forecast month.",
            "schema": {"fields": fields, "primaryKey": ["direction", "year"]}}


def paths_resource(months: Sequence[str]) -> dict:
    direction = dict(KEY_FIELDS[0], constraints={"enum": list(keys.DIRECTIONS[:2])})
    fields = [direction, *KEY_FIELDS[1:],
              {"name": "choice", "type": "string", "constraints": {"enum": [outlook_files.OUTLOOK, outlook_files.ENGINE]},
               "description": "outlook: the outlook's paths; engine: the same draw as the engine made it, before "
                              "the panel's calibration and Taiwan → Japan's ceiling."},
              {"name": "path", "type": "integer", "description": "Number of the sample path (0 …)."},
              *[{"name": m, **_PERSONS, "description": f"Persons (trips) in {m} on this path; empty before the "
                                                       "direction's forecast starts."} for m in months]]
    return {"name": "forecast_paths", "path": FORECAST_PATHS, "profile": "tabular-data-resource",
            "description": "Every sample path of the outlook, both directions drawn together; the load model and "
                           "notebook 04 read their travellers here.",
            "schema": {"fields": fields, "primaryKey": [*keys.KEY, "choice", "path"]}}


def panel_resource() -> dict:
    number = {"type": "number", "unit": "persons"}
    values = [{"name": n, **number, "description": f"{_DESCRIPTIONS[n]} Persons in the target year."}
              for n in ("median", "mean", "lower_80", "upper_80", "lower_95", "upper_95")]
    fields = [
        {"name": "origin", "type": "string", "description": "Where travellers come from: ISO 3166-1 alpha-2 code."},
        {"name": "destination", "type": "string", "description": "JP (JNTO's count) or TW (Taiwan's count)."},
        {"name": "measure", "type": "string", "constraints": {"enum": ["visitor_arrivals"]},
         "description": "The panel's flows are visitor arrivals, as in monthly_flows."},
        {"name": "forecast_origin", "type": "year", "description": "The forecast was made from December of this year."},
        {"name": "horizon", "type": "integer", "description": "Calendar years ahead (1 …)."},
        {"name": "year", "type": "year", "description": "The target year."},
        {"name": "method", "type": "string", "constraints": {"enum": ["engine", "no change"]},
         "description": "engine: the forecast engine's sample paths; no change: the origin year's total."},
        *values,
        {"name": "crps", **number, "description": "Continuous ranked probability score against the actual."},
        {"name": "actual", **number, "description": "The published total of the target year."},
        {"name": "last_year", **number, "description": "The published total of the origin year."},
        {"name": "spec", "type": "string", "description": "The engine's spec (flows.forecast.spec) that made the rows."},
        {"name": "panel_input", "type": "string",
         "description": "Digest of the panel's monthly values through 2019 the rows were made from."},
    ]
    return {"name": "panel_backtest", "path": PANEL_BACKTEST, "profile": "tabular-data-resource",
            "description": "The engine's annual totals 1–5 years ahead on the reference panel of travel flows, "
                           f"December origins {panel_file.ORIGINS[0]}–{panel_file.ORIGINS[-1]}, targets up to 2019: "
                           "the calibration of the outlook's long run. Figures at two decimals.",
            "schema": {"fields": fields, "primaryKey": ["origin", "destination", "measure", "forecast_origin",
                                                        "horizon", "method"]}}


def vintages_resource() -> dict:
    fields = [_AS_OF, _VERSION,
              {"name": "backfilled", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"],
               "description": "true: computed later from the table cut at as_of; false: recorded by the run "
                              "that made it."},
              *KEY_FIELDS, {"name": "month", **_MONTH, "description": "The month forecast."},
              *_values(vintages.VALUES, "Persons (trips) in the month.")]
    return {"name": "forecast_vintages", "path": VINTAGES, "profile": "tabular-data-resource",
            "description": "Every outlook as it was made, kept for ever: rows are only ever added.",
            "schema": {"fields": fields, "primaryKey": ["as_of", "method_version", "direction", "month"]}}


def resources(models: Mapping[str, str], months: Sequence[str]) -> list[dict]:
    """The forecast's part of the package: ``models`` (direction → words) and the ``months`` of the paths file."""
    return [forecasts_resource(models), annual_resource(), paths_resource(months), panel_resource(),
            vintages_resource()]


def text(processed_dir: str | Path, models: Mapping[str, str], months: Sequence[str]) -> str:
    """``datapackage.json`` in ``processed_dir`` with the forecast's part (:func:`resources`) in place."""
    return datapackage.text(datapackage.with_resources(datapackage.read(processed_dir), resources(models, months)))


def models(processed_dir: str | Path) -> dict[str, str]:
    """Each direction's model in words, as ``datapackage.json`` states it (empty when it does not)."""
    for resource in (datapackage.read(processed_dir) or {}).get("resources", []):
        if resource.get("name") == "forecasts":
            return dict(resource.get("models", {}))
    return {}
