"""The mutation suite's tally, and interrupted builds: targets silently wrong 0, tracebacks 0,
partial writes 0, errors that name the culprit 100 %; every interrupted build leaves a complete
old or new output set.

1. Every case of tests/support/mutations.py (one per class of mishap) under ``--seeds`` seeds, each on a
   fresh copy of the raw folder and of the clean outputs: ``flows build`` either succeeds with the
   clean table or fails in one line naming the culprit, with the outputs untouched.
2. ``--kills`` builds into one folder (alternately from the clean raw folder and from a copy with
   one table renamed, so that lineage and data package change every time), each killed
   (SIGKILL) at a random moment (seeded) within its run; after each, the folder must hold exactly
   the old set or exactly the new one (the six outputs byte for byte, forecasts.csv untouched),
   and the next build must clear every temporary folder.

Run: ``python bench/bench_mutations.py [--raw DIR] [--seeds N] [--kills N]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "support"))

from flows.config import default_raw  # noqa: E402
from mutate import copy_tree  # noqa: E402
from mutations import CASES, run_build, run_case  # noqa: E402

OUTPUTS = ["monthly_flows.csv", "monthly_flows_lineage.csv", "conflicts.csv", "revisions.csv", "annual_flows.csv",
           "datapackage.json"]


def tally(raw: Path, seeds: int, work: Path) -> bool:
    clean = work / "clean"
    code, _, err = run_build(raw, clean)
    if code != 0:
        print(f"clean build failed: {err.strip()}")
        return False
    counts = collections.Counter()
    failures = []
    for seed in range(seeds):
        for case in CASES:
            folder = Path(tempfile.mkdtemp(dir=work))
            outcome = run_case(case, raw, clean, folder, 1000 + seed)
            shutil.rmtree(folder, ignore_errors=True)
            counts[outcome.verdict] += 1
            if outcome.verdict not in ("same", "named"):
                failures.append(f"  {outcome.case} (seed {1000 + seed}): {outcome.verdict}: {outcome.detail}")
    total = sum(counts.values())
    errors = counts["named"] + counts["unnamed"]
    named = 100 * counts["named"] / errors if errors else 100.0
    print(f"mutation cases run: {total} ({len(CASES)} cases x {seeds} seeds)")
    print(f"  silently wrong:   {counts['silently wrong']}   (target 0)")
    print(f"  flagged changes:  {counts['flagged']}   (exit 0, listed as a change of a final value)")
    print(f"  tracebacks:       {counts['traceback']}   (target 0)")
    print(f"  partial writes:   {counts['partial write']}   (target 0)")
    print(f"  not refused:      {counts['not refused']}   (target 0: damage that must be an error, exit 0)")
    print(f"  raw modified:     {counts['raw modified']}   (target 0: the raw folder re-hashed after every case)")
    print(f"  errors naming the culprit: {named:.0f} % of {errors}   (target 100 %)")
    print(f"  harmless (exit 0, the clean table): {counts['same']}")
    for line in failures:
        print(line)
    return not failures


def kills(raw: Path, n: int, work: Path, seed: int = 7) -> bool:
    """Kill builds at random moments; the folder must always hold a complete old or new set."""
    other = copy_tree(raw, work / "raw-b")
    table = sorted((other / "taiwan" / "inbound").glob("*/*.xlsx"))[0]
    table.rename(table.with_name("renamed.xlsx"))  # the same table, another lineage and data package
    out = work / "out"
    sets = []
    for source in (raw, other):
        code, _, err = run_build(source, out)
        if code != 0:
            print(f"build for the kill test failed: {err.strip()}")
            return False
        sets.append({name: (out / name).read_bytes() for name in OUTPUTS})
    (out / "forecasts.csv").write_text("kept\n", encoding="utf-8")
    timing = time.perf_counter()
    subprocess.run(_command(raw, out), capture_output=True)
    full = time.perf_counter() - timing
    rng, bad, mixed = random.Random(seed), 0, []
    for i in range(n):
        source = (raw, other)[i % 2]
        proc = subprocess.Popen(_command(source, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = {name: (out / name).read_bytes() if (out / name).is_file() else None for name in OUTPUTS}
        intact = now in sets and (out / "forecasts.csv").read_text(encoding="utf-8") == "kept\n"
        if not intact:
            bad += 1
            mixed.append(f"  kill {i}: {[k for k in OUTPUTS if now[k] not in (sets[0][k], sets[1][k])]}")
    run_build(raw, out)
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.is_dir()]
    print(f"interrupted builds: {n} kills at random moments within {full:.1f} s: "
          f"{n - bad} left a complete old or new set, {bad} a mix (target: all complete)")
    print(f"  temporary folders left after the next build: {len(leftovers)} (target 0)")
    for line in mixed:
        print(line)
    return bad == 0 and not leftovers


def _command(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "flows", "build", "--raw", str(raw), "--out", str(out)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=default_raw())
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--kills", type=int, default=24)
    args = parser.parse_args()
    if not (args.raw / "jnto").is_dir():
        print(f"no official raw files in {args.raw}: set FLOWS_RAW or RAW=…")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        ok = tally(args.raw.resolve(), args.seeds, Path(tmp))
        ok = kills(args.raw.resolve(), args.kills, Path(tmp)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
