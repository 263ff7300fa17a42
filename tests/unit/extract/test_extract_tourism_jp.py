"""tourism.jp JTM_inbound workbook: Taiwan → Japan back to 1996, with status markers."""

from __future__ import annotations

import pytest

from flows.extract.tourism_jp import is_tourism_jp_workbook, read_tourism_jp_workbook


@pytest.fixture(scope="module")
def extract(raw_dir):
    path = raw_dir / "jnto" / "JTM_inbound_Raw_Sheet.xlsx"
    assert is_tourism_jp_workbook(path)
    return read_tourism_jp_workbook(path)


def test_annual_sums_of_months_1996_2002(extract):
    m = extract.monthly
    sums = m[m.month < "2003"].groupby(m.month.str[:4]).value.sum().to_dict()
    assert sums == {"1996": 720_297, "1997": 820_234, "1998": 843_088, "1999": 931_411,
                    "2000": 912_814, "2001": 807_202, "2002": 877_709}
    assert m.month.min() == "1996-01" and m.month.max() == "2025-04"


def test_status_markers(extract):
    status = extract.monthly.set_index("month").status
    assert status["2024-02"] == "final"
    assert status["2024-03"] == "provisional"
    assert status["2025-02"] == "provisional"
    assert status["2025-03"] == "estimate"


def test_annual_block(extract):
    annual = extract.annual.set_index("year").value
    assert annual[1990] == 607_721 and annual[2019] == 4_890_602
