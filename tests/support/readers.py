"""Helpers for the reader tests: the one-line error a reader raises, the frame it should return."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.errors import RawFileError
from flows.extract.base import MONTHLY_COLUMNS


def error_of(reader, path) -> str:
    """The message of the RawFileError ``reader(path)`` raises: one line, naming the file."""
    with pytest.raises(RawFileError) as err:
        reader(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    return message


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Expected monthly rows as a reader's frame."""
    return pd.DataFrame(rows, columns=MONTHLY_COLUMNS)
