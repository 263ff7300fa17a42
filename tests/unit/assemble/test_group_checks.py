"""Every published group is checked against something, or listed with what nothing checks and why
(flows/data/group_checks.csv); groups that only purpose.csv publishes add up to the residence
export's continent lines."""

from __future__ import annotations

from flows.assemble.crosscheck import group_checks, summand_problems
from flows.extract.base import Extract


def test_every_published_group_is_listed_with_its_check(raw_dir):
    from flows.assemble.read import data_files, read_raw, stack

    monthly, annual = stack(read_raw(raw_dir, data_files(raw_dir)))
    published = set()
    for rows in (monthly, annual):
        for column in ("origin", "destination"):
            groups = rows[rows[column].str.startswith("X-")]
            published |= set(zip(groups["source"], groups[column]))
    listed = group_checks()
    known = set(zip(listed["source"], listed["group"]))
    assert not published - known, f"groups neither checked nor listed in group_checks.csv: {sorted(published - known)}"
    assert not known - published, f"group_checks.csv lists groups no file publishes: {sorted(known - published)}"
    assert listed.duplicated(["source", "group"]).sum() == 0
    assert (listed["checked_by"].str.strip() != "").all(), "a group nothing checks at all: say why in 'unchecked'"


def _extract(source, file, totals=(), summands=()):
    return Extract(source, file, "2011-01", totals=list(totals), summands=list(summands))


def test_groups_that_do_not_add_up_to_another_files_total_name_both_files():
    residence = _extract("tw_residence_csv", "r.csv", totals=[("2011-01", "X-ASIA", 300, "line 9, column Total")])
    good = _extract("tw_purpose_csv", "p.csv", summands=[("2011-01", "X-ASIA", 100, "line 2, columns B…O"),
                                                         ("2011-01", "X-ASIA", 200, "line 5, columns B…O")])
    assert summand_problems([residence, good], ["r.csv", "p.csv"]) == []
    bad = _extract("tw_purpose_csv", "p.csv", summands=[("2011-01", "X-ASIA", 100, "line 2, columns B…O"),
                                                        ("2011-01", "X-ASIA", 1200, "line 5, columns B…O")])
    assert summand_problems([residence, bad], ["r.csv", "p.csv"]) == [
        "p.csv [lines 2, 5, columns B…O]: the 2011-01 lines counted in X-ASIA sum to 1,300, but "
        "r.csv [line 9, column Total] prints 300 for X-ASIA"]
    other_month = _extract("tw_purpose_csv", "p.csv", summands=[("2012-01", "X-ASIA", 5, "line 2, columns B…O")])
    assert summand_problems([residence, other_month], ["r.csv", "p.csv"]) == []  # no total printed: not compared
