"""The file-family registry: one row of flows/data/families.yaml and one reader module make a family."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest

from flows.assemble import build, write
from flows.extract import registry
from workbooks import make_jnto_workbook

STANDIN = """
standin_family:
  rank: 5
  title: Stand-in arrivals (test)
  publisher: the test suite
  page: https://example.org/standin
  recognise: standin_reader:is_standin
  read: standin_reader:read_standin
  expected: {part: month, first: 2024-01, last: 2024-02, unit: month line, reason: "the test's two months"}
"""


@pytest.fixture
def with_standin(tmp_path, monkeypatch):
    """The project's registry plus the stand-in row, read in place of the project's."""
    text = (resources.files("flows") / "data" / registry.REGISTRY).read_text(encoding="utf-8") + STANDIN
    path = tmp_path / "families.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(registry, "families", lambda: registry.load(path))
    return path


def test_every_family_is_one_row_with_its_reader_and_its_expected_parts():
    families = registry.load()
    assert list(families) == ["jnto_monthly", "tw_table_1_4", "tw_table_2_2", "tw_annual_departures", "tw_purpose_csv",
                              "tw_residence_csv", "tourism_jp_inbound"]
    assert [r.source for r in registry.all_readers()][:3] == ["jnto_monthly", "tw_table_1_4", "tw_table_2_2"]
    assert all(f.reader.page.startswith("https://") and f.expected.reason for f in families.values())
    assert [f.source for f in registry.fetched()] == ["jnto_monthly", "tw_table_1_4", "tw_table_2_2",
                                                      "tw_annual_departures"]


def test_a_stand_in_family_is_built_from_its_one_row_and_one_reader(tmp_path, with_standin):
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "jnto").mkdir(parents=True)
    make_jnto_workbook(raw / "jnto" / "release.xlsx", {2024: {"台湾": [100] * 12}})
    (raw / "standin").mkdir()
    (raw / "standin" / "arrivals.csv").write_text("standin v1\n2024-01,7\n2024-02,9\n", encoding="utf-8")
    others = list(registry.load())  # the tiny raw folder holds one JNTO year: only the stand-in must be whole
    write(build(raw, allow_missing=frozenset(others)), out)
    table = pd.read_csv(out / "monthly_flows.csv")
    xx = table[table["origin"] == "XX"]
    assert xx[["month", "value", "source"]].values.tolist() == [["2024-01", 7, "standin_family"],
                                                                ["2024-02", 9, "standin_family"]]
    assert "Stand-in arrivals (test)" in (out / "datapackage.json").read_text(encoding="utf-8")


def test_a_stand_in_family_missing_from_the_raw_folder_is_named(tmp_path, with_standin):
    from flows.errors import ValidationError

    raw = tmp_path / "raw"
    (raw / "jnto").mkdir(parents=True)
    make_jnto_workbook(raw / "jnto" / "release.xlsx", {2024: {"台湾": [100] * 12}})
    others = list(registry.load())  # the tiny raw folder holds one JNTO year: only the stand-in must be whole
    with pytest.raises(ValidationError, match="no file of family standin_family .* month lines 2024-01 … 2024-02"):
        build(raw, allow_missing=frozenset(others))


def test_a_row_that_names_a_missing_reader_is_one_clear_error(tmp_path):
    path = tmp_path / "families.yaml"
    path.write_text(STANDIN.replace("standin_reader:read_standin", "standin_reader:no_such_function"), encoding="utf-8")
    with pytest.raises(RuntimeError, match=f"{path}: cannot import standin_reader:no_such_function"):
        registry.load(path)
    path.write_text(STANDIN.replace("  rank: 5\n", "  rank: 5\n  colour: blue\n"), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"family standin_family: unknown \['colour'\]"):
        registry.load(path)
