"""assemble: the tidy monthly table from the extracted rows — resolve, check, write atomically (`flows build`).

The build knows the table's rules and nothing about file layouts (those are ``flows.extract``'s).
"""

from flows.assemble.checks import known_gaps
from flows.assemble.output import write
from flows.assemble.pipeline import Build, build, run
from flows.assemble.read import data_files
from flows.assemble.schema import FIELDS, WARNING, bad_values, duplicate_keys, gaps, month_number

__all__ = ["Build", "FIELDS", "WARNING", "bad_values", "build", "data_files", "duplicate_keys", "gaps",
           "known_gaps", "month_number", "run", "write"]
