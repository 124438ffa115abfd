"""The README's test command on a fresh machine: a copy of the repository, a new venv made with
nothing but the README's install line, and every module imported from it. A dependency missing
from pyproject.toml fails here, not on a user's machine."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SKIP = {".venv", ".git", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _readme_install_line() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "-m pytest" in b)
    install, _, run = test_command.rpartition(" && ")
    assert run.startswith(".venv/bin/python -m pytest"), test_command
    return install


@pytest.mark.slow
def test_a_new_venv_from_the_readme_imports_every_module(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=lambda folder, names: [n for n in names if n in SKIP])
    install = _readme_install_line()
    python3 = f"{sys.executable} -m venv" if install.startswith("python3 -m venv") else None
    command = install.replace("python3 -m venv", python3, 1) if python3 else install
    r = subprocess.run(command, shell=True, cwd=copy, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    code = (
        "import importlib, pkgutil, sys\n"
        "import main\n"
        "for top in ('core', 'gui', 'bench', 'tests'):\n"
        "    package = importlib.import_module(top)\n"
        "    for m in pkgutil.walk_packages(package.__path__, top + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print('imported', len(sys.modules))\n"
    )
    # Run from the copy (as the README's pytest does), with nothing of this machine's venv around.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [str(copy / ".venv" / "bin" / "python"), "-c", code],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0 and "imported" in r.stdout, r.stderr[-3000:]


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = next(b for b in re.findall(r"```sh\n(.*?)\n```", readme, re.S) if "-m pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()
    assert "export JXZP_REQUIRE_TOOLS=1" in ci
