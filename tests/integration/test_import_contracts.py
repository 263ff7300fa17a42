"""DESIGN.md's boundaries as import contracts: what each package of src/flows may never import, and no
import cycle anywhere (imports inside functions and under TYPE_CHECKING count too)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
STAGES = ("acquire", "extract", "assemble", "analysis", "forecast", "exchange_load", "viz", "site", "cli")

# package → packages (or modules) of flows it must never import; DESIGN.md's table, "never touches".
FORBIDDEN = {
    "extract": {"acquire", "assemble", "analysis", "forecast", "exchange_load", "viz", "site", "cli"},
    "acquire": {"assemble", "analysis", "forecast", "exchange_load", "viz", "site", "cli"},
    "assemble": {"acquire", "analysis", "forecast", "exchange_load", "viz", "site", "cli"},
    "analysis": {"acquire", "extract", "assemble", "forecast", "exchange_load", "viz", "site", "cli"},
    "forecast": {"acquire", "extract", "assemble", "exchange_load", "viz", "site", "cli"},
    # The load reads the outlook's files; how the forecasts were made is not its business.
    "exchange_load": {"acquire", "extract", "assemble", "viz", "site", "cli", "forecast.engine", "forecast.outlook",
                      "forecast.joint", "forecast.members", "forecast.calibration", "forecast.command"},
    # Figures compute nothing: no model, no table access; the engine's spec is a record of settings.
    "viz": {"acquire", "extract", "assemble", "analysis", "exchange_load", "site", "cli", "forecast.engine",
            "forecast.outlook", "forecast.panel", "forecast.calibration", "forecast.command"},
    "site": {"acquire", "extract", "cli"},
}


def module_name(path: Path, src: Path = SRC) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every flows module ``path`` imports, anywhere in the file (``from flows import x`` → ``flows.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("flows"):
            found |= {f"{node.module}.{a.name}" for a in node.names}  # a module of the package, or a name in it
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("flows")}
    return found


def graph(src: Path = SRC) -> dict[str, set[str]]:
    """flows module → the flows modules it imports (a name that is a function or constant of a package
    counts as its package)."""
    modules = {module_name(p, src): p for p in (src / "flows").rglob("*.py")}
    def resolve(name: str) -> str:
        while name not in modules and "." in name:
            name = name.rsplit(".", 1)[0]
        return name
    return {m: {resolve(i) for i in imports(p)} - {m} for m, p in modules.items()}


def breaches(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for module, targets in sorted(edges.items()):
        package = module.split(".")[1] if module.count(".") else module
        for target in sorted(targets):
            tail = target.removeprefix("flows.")
            for banned in FORBIDDEN.get(package, ()):
                if tail == banned or tail.startswith(banned + "."):
                    out.append(f"{module} imports {target} ({package} never imports {banned})")
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_packages_keep_to_their_boundaries():
    assert breaches(graph()) == []


def test_no_import_cycle_anywhere():
    assert cycles(graph()) == []


def test_a_planted_breach_and_a_planted_cycle_are_caught(tmp_path):
    """The checks see what they are for: a figure module importing the engine, two modules importing each other."""
    (tmp_path / "flows" / "viz").mkdir(parents=True)
    (tmp_path / "flows" / "forecast").mkdir()
    for name in ("flows/__init__.py", "flows/viz/__init__.py", "flows/forecast/__init__.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "flows/viz/chart.py").write_text("def f():\n    from flows.forecast.engine import forecast\n",
                                                 encoding="utf-8")
    (tmp_path / "flows/forecast/engine.py").write_text("from flows.forecast import paths\nforecast = 1\n", encoding="utf-8")
    (tmp_path / "flows/forecast/paths.py").write_text("from flows.forecast.engine import forecast\n", encoding="utf-8")
    edges = graph(tmp_path)
    assert breaches(edges) == ["flows.viz.chart imports flows.forecast.engine (viz never imports forecast.engine)"]
    assert cycles(edges) == [["flows.forecast.engine", "flows.forecast.paths"]]
