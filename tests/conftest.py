"""Shared test set-up. Qt runs offscreen (CI has no display)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "JXZP_CACHE_DIR" not in os.environ:  # the fonts' parsed tables: shared by the run's processes, not the user's
    os.environ["JXZP_CACHE_DIR"] = tempfile.mkdtemp(prefix="jxzp-test-cache-")
    atexit.register(shutil.rmtree, os.environ["JXZP_CACHE_DIR"], ignore_errors=True)

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


# The real window, offscreen, on seed 000 saved as a document in the test's own folders (the
# user's configuration and documents folders are redirected there).
@pytest.fixture
def user_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("JXZP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JXZP_DOCUMENTS_DIR", str(tmp_path / "documents"))
    return tmp_path


@pytest.fixture
def window(qtbot, user_dirs):
    from core.store.settings import Settings
    from core.store.storage_format import write_new_document
    from gui.main_window import MainWindow

    path = user_dirs / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    w = MainWindow(Settings())
    # Closed here rather than by qtbot, so that qtmodeltester lets go of the models first.
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    w.deleteLater()
