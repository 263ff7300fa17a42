"""What a build changed in the output folder, in a few lines, and what to do next.

:meth:`Snapshot.of` notes the outputs before they are replaced (each file's checksum; the previous
lineage and revisions, from which the releases the table's values came from, each source's last month
and the revisions recorded are read when the build changed something); :func:`what_changed` compares
them with the build just written: new releases, months added, values revised, copies ignored, and —
when the table changed — that the committed notebooks are now stale.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flows.assemble.result import Build
from flows.config import ANNUAL_TABLE, CONFLICTS, DESCRIPTOR, LINEAGE, REVISIONS, TABLE

OUTPUTS = (TABLE, LINEAGE, CONFLICTS, REVISIONS, ANNUAL_TABLE, DESCRIPTOR)


def _digest(path: Path) -> str | None:
    data = _bytes(path)
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:  # unreadable: the build itself says so in one line
        return None


@dataclass
class Snapshot:
    """The output folder as it was before a build. The previous lineage and revisions are kept as
    bytes and read only when the build changed something (what cannot be read is left empty: the
    build's own checks of the previous outputs report it)."""

    digests: dict[str, str | None]
    texts: dict[str, bytes] = field(default_factory=dict)  # LINEAGE, REVISIONS as they were

    @classmethod
    def of(cls, out: Path) -> Snapshot:
        texts = {name: data for name in (LINEAGE, REVISIONS) if (data := _bytes(out / name)) is not None}
        digests = {name: hashlib.sha256(texts[name]).hexdigest() if name in texts else _digest(out / name)
                   for name in OUTPUTS}
        return cls(digests, texts)

    @functools.cached_property
    def _lineage(self) -> pd.DataFrame | None:
        return self._read(LINEAGE, ["month", "source", "release"])

    @functools.cached_property
    def releases(self) -> set[tuple[str, str]]:
        """(source, release) behind the previous table."""
        return _releases(self._lineage) if self._lineage is not None else set()

    @functools.cached_property
    def last_months(self) -> dict[str, str]:
        """Source → the last month it supplied to the previous table."""
        return self._lineage.groupby("source")["month"].max().to_dict() if self._lineage is not None else {}

    @functools.cached_property
    def revisions(self) -> int:
        """The number of revisions recorded before."""
        found = self._read(REVISIONS, ["month"])
        return len(found) if found is not None else 0

    def _read(self, name: str, columns: list[str]) -> pd.DataFrame | None:
        if name not in self.texts:
            return None
        try:
            return pd.read_csv(io.BytesIO(self.texts[name]), usecols=columns, dtype=str)
        except (ValueError, KeyError, UnicodeDecodeError):
            return None


def _releases(lineage: pd.DataFrame) -> set[tuple[str, str]]:
    """The (source, release) pairs of a lineage table."""
    pairs = lineage[["source", "release"]].drop_duplicates()
    return set(zip(pairs["source"].tolist(), pairs["release"].tolist()))


def changed_outputs(before: Snapshot, out: Path) -> list[str]:
    """The outputs whose bytes in ``out`` differ from ``before``'s."""
    return [name for name in OUTPUTS if _digest(out / name) != before.digests.get(name)]


def what_changed(before: Snapshot, result: Build, out: Path, changed: list[str]) -> list[str]:
    """A few lines: what this build changed in ``out`` (``changed``: :func:`changed_outputs`) compared
    with ``before``, and what to do next."""
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
