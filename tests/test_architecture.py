"""The shape of the codebase: core/ is Qt-free and layered without circles; one linter config, and
it passes."""

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


# The layers, lowest first. A module may import from its own layer and the layers below it, never
# from one above. A module that is in no layer fails the test: place it here when adding it.
LAYERS = [
    ("core",),  # the package itself: the version, nothing else
    ("core.model",),
    ("core.rules",),
    ("core.document",),
    ("core.store",),
    ("core.presenters",),
    ("core.export",),
    ("core.cli",),
    ("gui",),  # above all of core; core never imports it
    ("main",),
]


def _project_modules() -> dict[str, Path]:
    mods = {"main": ROOT / "main.py"}
    for top in ("core", "gui"):
        for p in (ROOT / top).rglob("*.py"):
            rel = p.relative_to(ROOT).with_suffix("")
            mods[".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)] = p
    return mods


def _import_graph() -> dict[str, set[str]]:
    """Which project modules each project module imports, at any depth of its code (imports inside
    functions count too)."""
    mods = _project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                targets.add(base)
                targets.update(f"{base}.{a.name}" for a in node.names)
        graph[name] = set()
        for target in targets:
            while target and target not in mods:  # an imported name, not a module: its module
                target = target.rpartition(".")[0]
            # a submodule that reaches its own package's __init__ only loads the package
            if target and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def _layer(module: str) -> int | None:
    for rank, (prefix,) in enumerate(LAYERS):
        if module == prefix or (prefix != "core" and module.startswith(prefix + ".")):
            return rank
    return None


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def test_no_import_circle():
    assert _circles(_import_graph()) == []


def test_every_module_has_a_layer_and_no_import_goes_up():
    graph = _import_graph()
    assert [m for m in sorted(graph) if _layer(m) is None] == []
    upward = [f"{a} -> {b}" for a in sorted(graph) for b in sorted(graph[a]) if _layer(b) > _layer(a)]
    assert upward == []


def test_core_never_imports_qt():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "core").rglob("*.py")
        if _imports(p) & {"PySide6", "shiboken6", "PyQt5", "PyQt6", "gui"}
    ]
    assert offenders == []


def test_core_imports_without_qt_loaded():
    code = (
        "import sys, core.cli, core.document, core.store.jsonio, core.rules.checks; "
        "import pkgutil, importlib, core; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(core.__path__, 'core.')]; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_ruff_passes():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_is_kept():
    r = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
