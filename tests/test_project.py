"""The project frame: one dependency list, stated twice, that must agree; the Makefile's commands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {normalise(d) for d in pyproject["project"]["dependencies"]}
    conda = set()
    for line in (REPO / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+[<>=].*)$", line)
        if match and not re.match(r"python[<>=]", match.group(1)):  # the interpreter, not a package
            conda.add(normalise(match.group(1)))
    assert conda == wanted, f"only in environment.yml: {conda - wanted}; only in pyproject.toml: {wanted - conda}"


def test_raw_files_are_not_committed():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8")
    assert "/data/raw/*" in ignored and "!/data/raw/README.md" in ignored


# --- the Makefile's commands ----------------------------------------------------------------------

def make(*args: str) -> str:
    """What ``make`` prints (``-n``: the commands it would run, running none)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_help_lists_every_command_in_plain_words():
    listed = make("help")
    assert "$(" not in listed and "make check " in listed
    commands = re.findall(r"^  make (\S+)", listed, re.M)
    assert commands == re.findall(r"^([a-z]+):.*## ", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)


def test_make_test_says_why_tests_were_skipped_and_which_were_slowest():
    command = make("-n", "test").splitlines()[-1]
    assert " -rs " in f" {command} " and "--durations=10" in command and "--nbval-lax" in command


def test_make_check_leaves_out_the_slow_tests():
    command = make("-n", "check").splitlines()[-1]
    assert '-m "not slow"' in command and "--nbval" not in command and " -rs " in f" {command} "
    assert command.startswith("OMP_NUM_THREADS=1 ")
    for name in ("test_site_runner.py", "test_site_browser.py", "test_site_layout.py", "test_jupyterlab.py"):
        assert "pytestmark = pytest.mark.slow" in (REPO / "tests" / name).read_text(encoding="utf-8"), name


def test_make_lab_runs_as_root():
    command = make("-n", "lab").splitlines()[-1]
    assert "jupyter lab notebooks" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)


def test_short_modules_and_packages_that_say_their_role():
    """The house plan: no module over 400 lines; every package's __init__ starts with a docstring
    whose first line names the package and its role."""
    import ast

    src = Path(__file__).resolve().parents[1] / "src" / "flows"
    too_long = {str(p.relative_to(src)): n for p in src.rglob("*.py")
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert too_long == {}
    for init in src.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.splitlines()[0].startswith(f"{init.parent.name}: "), init
