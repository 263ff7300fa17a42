"""The errors users see, each a one-line message naming the file (and place) or the step that failed."""

from __future__ import annotations

from pathlib import Path


class RawFileError(Exception):
    """An input file that is missing or cannot be read as expected (a publisher's table, the
    processed table).

    The message is one line: the file, where in it (sheet, row or cell) when known,
    and what was expected there.
    """

    def __init__(self, path: str | Path, problem: str, *, where: str | None = None):
        self.path = Path(path)
        self.where = where
        self.problem = problem
        place = f" [{where}]" if where else ""
        super().__init__(f"{self.path}{place}: {problem}")


class ValidationError(Exception):
    """The tidy table broke one of its rules (key, type, gap, annual total)."""


class ParameterError(ValueError):
    """A parameter a user passed (a month, a horizon) that is malformed or does not fit the data."""


class ReportError(Exception):
    """The report could not be made; one line naming the notebook or file."""


class FetchError(Exception):
    """Fetching failed before anything in ``dest`` was changed; the message is one line."""


class OutputError(Exception):
    """The output folder cannot take a build: it is a file, unwritable, or holds a previous output
    that is not what the build wrote (a folder in a file's place, other columns). One line."""
