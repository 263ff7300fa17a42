"""Size of each committed notebook beside its limit (1.5 MB: figures stored as plotly's JSON only).

    python bench/bench_notebook_size.py

Exit status 1 when a notebook is over the limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LIMIT_BYTES = 1_500_000


def main() -> int:
    over = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        size = path.stat().st_size
        verdict = "ok" if size <= LIMIT_BYTES else "OVER LIMIT"
        print(f"  {path.name:<30} {size / 1e6:5.2f} MB (limit {LIMIT_BYTES / 1e6:.1f} MB): {verdict}")
        if size > LIMIT_BYTES:
            over.append(path.name)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
