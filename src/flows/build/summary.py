"""What a build changed in the output folder, in a few lines, and what to do next.

:meth:`Snapshot.of` notes the outputs before they are replaced (each file's checksum, the releases
the table's values come from, its last month, the revisions recorded); :func:`what_changed` compares
them with the build just written: new releases, months added, values revised, copies ignored, and —
when the table changed — that the committed notebooks are now stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from flows.config import ANNUAL_TABLE, CONFLICTS, DESCRIPTOR, LINEAGE, REVISIONS, TABLE

if TYPE_CHECKING:
    from flows.build.pipeline import Build

OUTPUTS = (TABLE, LINEAGE, CONFLICTS, REVISIONS, ANNUAL_TABLE, DESCRIPTOR)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:  # unreadable: the build itself says so in one line
        return None


@dataclass
class Snapshot:
    """The output folder as it was before a build (what cannot be read is left empty: the build's own
    checks of the previous outputs report it)."""

    digests: dict[str, str | None]
    releases: set[tuple[str, str]] = field(default_factory=set)  # (source, release) behind the table
    last_months: dict[str, str] = field(default_factory=dict)  # source → last month it supplies
    revisions: int = 0

    @classmethod
    def of(cls, out: Path) -> Snapshot:
        snap = cls({name: _digest(out / name) for name in OUTPUTS})
        try:
            if snap.digests[LINEAGE]:
                lineage = pd.read_csv(out / LINEAGE, usecols=["month", "source", "release"], dtype=str)
                snap.releases = _releases(lineage)
                snap.last_months = lineage.groupby("source")["month"].max().to_dict()
            if snap.digests[REVISIONS]:
                snap.revisions = len(pd.read_csv(out / REVISIONS, usecols=["month"], dtype=str))
        except (OSError, ValueError, KeyError):
            pass
        return snap


def _releases(lineage: pd.DataFrame) -> set[tuple[str, str]]:
    """The (source, release) pairs of a lineage table."""
    pairs = lineage[["source", "release"]].drop_duplicates()
    return set(zip(pairs["source"].tolist(), pairs["release"].tolist()))


def what_changed(before: Snapshot, result: Build, out: Path) -> list[str]:
    """A few lines: what this build changed in ``out`` compared with ``before``, and what to do next."""
    changed = [name for name in OUTPUTS if _digest(out / name) != before.digests.get(name)]
    if not changed:
        return [f"Nothing changed in {out}: nothing to re-run or commit."]
    lines = [f"Changed in {out}: {', '.join(changed)}."]
    new_releases = sorted(_releases(result.lineage) - before.releases)
    by_source: dict[str, list[str]] = {}
    for source, release in new_releases:
        by_source.setdefault(source, []).append(release)
    if by_source and before.releases:
        lines.append("  new releases: " + "; ".join(f"{s} {', '.join(r)}" for s, r in by_source.items()))
    if before.last_months:
        last = result.lineage.groupby("source")["month"].max().astype(str).to_dict()
        moved = [f"{s} to {m} (was {before.last_months.get(s, 'absent')})" for s, m in sorted(last.items())
                 if m != before.last_months.get(s)]
        moved += [f"{s} gone (ran to {m})" for s, m in sorted(before.last_months.items()) if s not in last]
        if moved:
            lines.append("  months now run: " + "; ".join(moved))
    revised = len(result.revisions) - before.revisions
    if revised > 0:
        lines.append(f"  {revised:,} value{'s' if revised != 1 else ''} revised by a newer release "
                     f"(old and new in {REVISIONS})")
    if result.duplicates:
        n = len(result.duplicates)
        lines.append(f"  ignored {n} cop{'ies' if n != 1 else 'y'} of a file already read (listed above)")
    if TABLE in changed:
        lines.append(f"Next: `make notebooks` to re-run the committed notebooks on the new table, then commit "
                     f"{out} and notebooks/.")
    else:
        lines.append(f"Next: commit {out} (the table itself is unchanged: the notebooks are up to date).")
    return lines
