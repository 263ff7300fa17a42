"""The ``flows`` command line: ``flows build``, ``flows fetch``, ``flows report``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flows.errors import RawFileError, ValidationError

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/processed")


def default_raw() -> Path:
    """``$FLOWS_RAW`` when set, else ``data/raw``."""
    return Path(os.environ.get("FLOWS_RAW", DEFAULT_RAW))


def _build(args) -> int:
    from flows.build import run

    run(args.raw, args.out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="flows", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="rebuild data/processed from the official raw files")
    build.add_argument("--raw", type=Path, default=default_raw(),
                       help="folder of official files (default: $FLOWS_RAW or data/raw)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/processed)")
    build.set_defaults(func=_build)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (RawFileError, ValidationError) as exc:
        print(f"flows {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
