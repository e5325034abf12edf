"""The package's shape, as DESIGN.md draws it: small modules, and subpackages that import each
other one way only, with views on top and nothing below reaching up to them."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "directory"
MAX_LINES = 300
# The web layer, and the app factory that registers it: nothing else imports views (commands included).
ABOVE_THE_DOMAIN = {"directory", "directory.views"}


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module in the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def node(name: str) -> str:
    """The part of the package a module belongs to: its subpackage (directory.search), or the
    top-level module itself (directory.vocab); the package's own __init__ is `directory`."""
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def _imported(module: str, path: Path) -> set[str]:
    """Every module of ours that `module` imports, at the top, in functions, or for type checking."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for stmt in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(stmt, ast.Import):
            found.update(alias.name for alias in stmt.names)
        elif isinstance(stmt, ast.ImportFrom):
            base = stmt.module or ""
            if stmt.level:
                anchor = package.split(".")[: len(package.split(".")) - stmt.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in stmt.names:  # `from directory import clock` imports the module directory.clock
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name == "directory" or name.startswith("directory.")}


def import_graph() -> dict[str, dict[str, list[str]]]:
    """node -> imported node -> the imports that make the edge ("module imports module")."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, path in MODULES.items():
        for target in sorted(_imported(module, path)):
            if node(target) != node(module):
                graph[node(module)][node(target)].append(f"{module} imports {target}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected parts with more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted({*graph, *(w for edges in graph.values() for w in edges)}):
        if v not in index:
            visit(v)
    return found


def test_no_module_is_over_300_lines():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    offenders = sorted((lines, name) for name, lines in sizes.items() if lines > MAX_LINES)
    for lines, name in offenders:
        print(f"{MODULES[name].relative_to(PACKAGE.parent)}: {lines} lines")
    assert not offenders, f"modules over {MAX_LINES} lines (each is a sign it holds two things): " + ", ".join(
        f"{name} ({lines})" for lines, name in offenders
    )


def test_subpackages_import_each_other_one_way_only():
    graph = import_graph()
    assert graph, "the import graph was read"
    found = cycles(graph)
    explained = [
        " <-> ".join(part) + "\n    " + "\n    ".join(
            why for a in part for b in part if b in graph.get(a, {}) for why in graph[a][b]
        )
        for part in found
    ]
    assert not found, "import cycles between parts of the package:\n" + "\n".join(explained)


def test_no_domain_module_imports_the_views():
    graph = import_graph()
    upward = [why for source, edges in graph.items() if source not in ABOVE_THE_DOMAIN
              for why in edges.get("directory.views", [])]
    assert not upward, "domain modules importing views (views import the domain, never the other way):\n" + "\n".join(upward)


def test_the_graph_sees_imports_of_every_kind():
    """The checks above are only as good as the graph: it has the edges we know are there."""
    graph = import_graph()
    assert "directory.models" in graph["directory.search"]
    assert "directory.vocab" in graph["directory.interop"]
    assert {"directory.search", "directory.schedules"} <= set(graph["directory.views"])
    assert node("directory.places.geo") == "directory.places" and node("directory.vocab") == "directory.vocab"
