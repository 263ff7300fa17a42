"""The project frame: one dependency list, stated twice, that must agree; the Makefile's commands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


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


def locked_pins(lock: Path) -> dict[str, tuple[str, int]]:
    """Package → (exact version, number of hashes) of a lock written by ``make lock``
    (``uv pip compile --generate-hashes``); fails on any requirement that is not pinned with ``==``."""
    pins, name = {}, None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", line)
            assert match, f"{lock.name}: not pinned with ==: {line!r}"
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            pins[name] = (match.group(2), 0)
        elif "--hash=sha256:" in line:
            pins[name] = (pins[name][0], pins[name][1] + 1)
    return pins


def direct_requirements(extras: tuple[str, ...] = ()) -> list[str]:
    """What pyproject.toml asks for: dependencies, the build backend and the ``extras`` named."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    optional = pyproject["project"]["optional-dependencies"]
    return [*pyproject["project"]["dependencies"], *pyproject["build-system"]["requires"],
            *(r for extra in extras for r in optional[extra])]


def unpinned(requirements: list[str], pins: dict[str, tuple[str, int]]) -> list[str]:
    """The requirements the lock does not pin at a version inside their range."""
    from packaging.requirements import Requirement

    missing = []
    for text in requirements:
        req = Requirement(text)
        pin = pins.get(re.sub(r"[-_.]+", "-", req.name).lower())
        if pin is None or not req.specifier.contains(pin[0], prereleases=True):
            missing.append(text)
    return missing


def test_the_lock_pins_every_package_with_its_hashes():
    pins = locked_pins(REPO / "requirements.lock")
    assert unpinned(direct_requirements(), pins) == []
    assert all(count >= 1 for _, count in pins.values()), "every pin carries the sha256 of its files"
    # The whole tree, not only the direct dependencies: what they pull in is pinned too.
    assert {"numpy", "scipy", "patsy", "jupyter-server", "tornado", "packaging"} <= set(pins)
    # The runtime needs no test tool; the test lock adds them at the runtime lock's versions.
    assert not {"pytest", "nbval", "openpyxl", "ruff", "playwright"} & set(pins)
    test_pins = locked_pins(REPO / "requirements-test.lock")
    assert unpinned(direct_requirements(("test", "browser")), test_pins) == []
    assert {name: pin for name, pin in test_pins.items() if name in pins} == pins
    assert all(count >= 1 for _, count in test_pins.values())
    bench = locked_pins(REPO / "bench" / "requirements.lock")
    assert bench["statsforecast"][0] == "2.1.1" and all(count >= 1 for _, count in bench.values())


def test_a_package_the_lock_does_not_pin_is_caught():
    pins = locked_pins(REPO / "requirements.lock")
    assert unpinned([*direct_requirements(), "polars>=1"], pins) == ["polars>=1"]
    assert unpinned(["pandas>=99"], pins) == ["pandas>=99"]  # pinned, but outside the range asked for


def test_the_makefile_installs_the_lock_with_hashes():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes -r requirements.lock" in makefile
    assert "pip install --quiet --require-hashes -r requirements-test.lock" in makefile
    assert "--require-hashes -r bench/requirements.lock" in makefile


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
    for name in ("integration/test_site_runner.py", "browser/test_site_browser.py", "browser/test_site_layout.py",
                 "browser/test_jupyterlab.py"):
        assert "pytestmark = pytest.mark.slow" in (REPO / "tests" / name).read_text(encoding="utf-8"), name


def test_make_lab_runs_as_root():
    command = make("-n", "lab").splitlines()[-1]
    assert "jupyter lab notebooks" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)


def test_short_modules_and_packages_that_say_their_role():
    """The house plan: no module over 400 lines; every package's __init__ starts with a docstring
    whose first line names the package and its role."""
    import ast

    src = Path(__file__).resolve().parents[2] / "src" / "flows"
    too_long = {str(p.relative_to(src)): n for p in src.rglob("*.py")
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert too_long == {}
    for init in src.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.splitlines()[0].startswith(f"{init.parent.name}: "), init


def forecast_imports() -> dict[str, set[str]]:
    """Module → the flows.forecast modules it imports (anywhere in it, functions included)."""
    import ast

    folder = REPO / "src" / "flows" / "forecast"
    names = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    graph = {}
    for name in names:
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "flows.forecast":
                found |= {a.name for a in node.names} & names
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flows.forecast."):
                found.add(node.module.split(".")[2])
        graph[name] = found - {name}
    return graph


def test_the_forecast_package_has_no_import_cycle():
    graph = forecast_imports()
    assert "command" not in graph["outlook"] and "panel_file" not in graph["outlook"]

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(n == target or (n not in seen and reaches(n, target, seen | {n})) for n in graph[start])

    assert [m for m in sorted(graph) if reaches(m, m, set())] == []


def test_a_wheel_ships_every_file_of_the_package(tmp_path):
    """A non-editable install holds the package's data files and templates (pyproject's package-data),
    not only its modules: built from a copy of the project, so the worktree gains no build folder."""
    import zipfile

    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "src" / "flows", tmp_path / "src" / "flows",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                           "--wheel-dir", str(tmp_path / "dist"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    wheel, = (tmp_path / "dist").glob("flows-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    package = tmp_path / "src"
    files = {p.relative_to(package).as_posix() for p in (package / "flows").rglob("*") if p.is_file()}
    assert sorted(files - shipped) == []
