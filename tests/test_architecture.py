"""The shape of the codebase: core/ is Qt-free; one linter config, and it passes."""

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


def test_core_never_imports_qt():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                 if _imports(p) & {"PySide6", "shiboken6", "PyQt5", "PyQt6", "gui"}]
    assert offenders == []


def test_core_imports_without_qt_loaded():
    code = ("import sys, core.cli, core.document, core.store.jsonio, core.rules.checks; "
            "import pkgutil, importlib, core; "
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(core.__path__, 'core.')]; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_ruff_passes():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
