"""Shared test set-up. Qt runs offscreen (CI has no display)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = {name: FIXTURES / f"seed_{name}.json" for name in ("000", "001", "002")}


def load_seed(name: str):
    from core.store.jsonio import loads

    return loads(SEEDS[name].read_text(encoding="utf-8"))


@pytest.fixture
def seed():
    return load_seed


def run_main(*args: str, cwd: Path | None = None, timeout: int = 120, **popen) -> subprocess.CompletedProcess:
    """``python main.py ARGS`` as a user would run it, in a new process (``popen``: more options
    for it, such as a ``preexec_fn`` that bounds its memory)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
        **popen,
    )


@pytest.fixture
def cli():
    return run_main
