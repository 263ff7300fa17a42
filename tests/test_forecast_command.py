"""`flows forecast`: the outlook file is a pipeline output, reproducible from the processed table."""

from __future__ import annotations

import shutil
from pathlib import Path

from flows.cli import main
from flows.config import FORECASTS, TABLE

PROCESSED = Path(__file__).resolve().parents[1] / "data" / "processed"


def test_forecast_command_rewrites_the_committed_file_byte_for_byte(tmp_path, capsys):
    shutil.copy(PROCESSED / TABLE, tmp_path / TABLE)
    assert main(["forecast", "--processed", str(tmp_path)]) == 0
    assert (tmp_path / FORECASTS).read_bytes() == (PROCESSED / FORECASTS).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([TABLE, FORECASTS])  # nothing else left behind
    latest = max(line.split(",", 1)[0] for line in (tmp_path / TABLE).read_text().splitlines()[1:])
    out = capsys.readouterr().out
    assert f"as of {latest} to 2030-12" in out and f"Wrote {tmp_path / FORECASTS}" in out
