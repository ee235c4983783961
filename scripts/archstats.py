"""Architecture figures of ``ptdv`` (issue 14): modules, largest file, long functions,
app-level import arrows that point up the layers, and import cycles between apps.

    python scripts/archstats.py            # the figures
    python scripts/archstats.py --arrows   # every app → app arrow, upward ones marked

Tests and migrations are left out (they may import anything). The layer order is the
one of the import-linter contract in pyproject.toml (lowest first).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "ptdv"


def _layers() -> list[list[str]]:
    """The layers of the import-linter contract in pyproject.toml, lowest first (one
    source: the contract that ``make lint`` checks)."""
    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [[app.strip() for app in layer.split("|")] for layer in reversed(contract["layers"])]


LAYERS = _layers()
LEVEL = {app: i for i, apps in enumerate(LAYERS) for app in apps}
LONG = 60


def sources() -> list[Path]:
    return [
        p
        for p in sorted(ROOT.rglob("*.py"))
        if "migrations" not in p.parts and "tests" not in p.parts
    ]


def app_of(path: Path) -> str:
    rel = path.relative_to(ROOT).parts
    return rel[0] if len(rel) > 1 else ""


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # imports for type checkers only do not count
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "ptdv" and len(parts) > 1:
                out.add(parts[1])
    return out


def long_functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 >= LONG
    ]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> None:
    files = sources()
    graph: dict[str, set[str]] = defaultdict(set)
    for f in files:
        app = app_of(f)
        if not app:
            continue
        for other in imports(f):
            if other != app:
                graph[app].add(other)
    arrows = sorted((a, b) for a, bs in graph.items() for b in bs)
    upward = [(a, b) for a, b in arrows if LEVEL.get(b, 99) > LEVEL.get(a, 99)]
    sizes = sorted(((len(f.read_text().splitlines()), f) for f in files), reverse=True)
    longs = sorted(
        ((n, f.relative_to(ROOT.parent), name) for f in files for name, n in long_functions(f)),
        reverse=True,
    )
    print(f"modules (ptdv, without tests and migrations): {len(files)}")
    print(f"lines: {sum(n for n, _ in sizes)}")
    print("largest files: " + ", ".join(f"{f.relative_to(ROOT.parent)} {n}" for n, f in sizes[:5]))
    print(f"modules over 500 lines: {sum(1 for n, _ in sizes if n > 500)}")
    print(f"functions of {LONG} lines or more: {len(longs)}", end="")
    print(f" (longest: {longs[0][1]}:{longs[0][2]} {longs[0][0]})" if longs else "")
    print(f"app → app arrows: {len(arrows)}; upward: {len(upward)}")
    for a, b in upward:
        print(f"  up: {a} → {b}")
    cyc = cycles(graph)
    print(f"cycles between apps: {len(cyc)}")
    for c in cyc:
        print("  cycle: " + " ↔ ".join(c))
    if "--arrows" in sys.argv:
        for a, b in arrows:
            print(f"  {a} → {b}")


if __name__ == "__main__":
    main()
