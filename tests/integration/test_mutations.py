"""The mutation suite: the official raw folder damaged the way real mishaps happen (seeded), one case
per class. A build either succeeds with exactly the clean table, or fails in one line naming the
culprit — no traceback, outputs untouched, raw files unmodified (tests/support/mutations.py)."""

from __future__ import annotations

import pytest

from mutations import CASES, run_build, run_case

SEED = 20241218


@pytest.fixture(scope="module")
def clean_out(raw_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "out"
    code, _, stderr = run_build(raw_dir, out)
    assert code == 0, stderr
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_damage_is_named_or_harmless(case, raw_dir, clean_out, tmp_path):
    outcome = run_case(case, raw_dir, clean_out, tmp_path, SEED)
    assert outcome.verdict in ("same", "named"), f"{outcome.verdict}: {outcome.detail}"
