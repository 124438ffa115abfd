"""Per-user settings: recent files, the last document, where new documents go, the window's
place and size on each screen, and the last folder of each kind of file dialog.

Kept in the user's configuration folder (platformdirs), never next to the program.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from core.store.fileutil import OutputError, write_text_atomic

APP = "jixiao-ziping"
RECENT_LIMIT = 10
FOLDER_NAME = "绩效自评"


def config_dir() -> Path:
    override = os.environ.get("JXZP_CONFIG_DIR")  # tests and portable use
    return Path(override) if override else Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Where what can be rebuilt is kept (the fonts' parsed tables): losing it costs only time."""
    override = os.environ.get("JXZP_CACHE_DIR")  # tests and portable use
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP, appauthor=False))


def documents_dir() -> Path:
    """Where new documents go by default: 文档/绩效自评 (created when first needed)."""
    override = os.environ.get("JXZP_DOCUMENTS_DIR")
    base = Path(override) if override else Path(platformdirs.user_documents_dir())
    return base / FOLDER_NAME


class Settings:
    def __init__(self, path: Path | None = None):
        self.path = path or config_dir() / "settings.json"
        self.data: dict = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.data = loaded
        except (OSError, ValueError):
            self.data = {}  # missing or damaged settings: start afresh, never fail

    def save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(self.data, ensure_ascii=False, indent=2))
        except (OSError, OutputError):
            pass  # settings are a convenience; a read-only profile must not stop the work

    @property
    def recent(self) -> list[str]:
        items = self.data.get("recent", [])
        return [x for x in items if isinstance(x, str)][:RECENT_LIMIT]

    def add_recent(self, path: Path | str) -> None:
        text = str(Path(path).resolve())
        self.data["recent"] = [text] + [x for x in self.recent if x != text][: RECENT_LIMIT - 1]
        self.data["last"] = text
        self.save()

    def forget(self, path: Path | str) -> None:
        text = str(Path(path).resolve())
        self.data["recent"] = [x for x in self.recent if x != text]
        if self.data.get("last") == text:
            self.data.pop("last")
        self.save()

    @property
    def last(self) -> str | None:
        last = self.data.get("last")
        return last if isinstance(last, str) else None

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def set(self, key: str, value) -> None:
        self.data[key] = value
        self.save()

    # --- the window on each screen -------------------------------------------------------------

    def window_state(self, screen: str) -> dict:
        """What the window looked like when last closed on ``screen`` ("1366x768"): ``geometry``
        (Qt's own encoding, base64), ``maximized``, ``splitters`` (name → sizes) and ``dock``
        (the findings dock's width). Empty when never seen; wrong types are dropped."""
        state = self.data.get("window", {})
        state = state.get(screen) if isinstance(state, dict) else None
        if not isinstance(state, dict):
            return {}
        out: dict = {}
        if isinstance(state.get("geometry"), str):
            out["geometry"] = state["geometry"]
        if isinstance(state.get("maximized"), bool):
            out["maximized"] = state["maximized"]
        if isinstance(state.get("dock"), int) and state["dock"] > 0:
            out["dock"] = state["dock"]
        splitters = state.get("splitters")
        if isinstance(splitters, dict):
            out["splitters"] = {
                k: v
                for k, v in splitters.items()
                if isinstance(v, list) and v and all(isinstance(x, int) and x >= 0 for x in v)
            }
        return out

    def set_window_state(self, screen: str, state: dict) -> None:
        windows = self.data.get("window")
        if not isinstance(windows, dict):
            windows = self.data["window"] = {}
        windows[screen] = dict(state)
        self.save()

    # --- file dialogs --------------------------------------------------------------------------

    def last_folder(self, kind: str) -> Path | None:
        """The folder a file dialog of ``kind`` ("open", "save", "export") was last used in,
        if it still exists."""
        folders = self.data.get("folders", {})
        text = folders.get(kind) if isinstance(folders, dict) else None
        if isinstance(text, str) and Path(text).is_dir():
            return Path(text)
        return None

    def set_last_folder(self, kind: str, folder: Path | str) -> None:
        folders = self.data.get("folders")
        if not isinstance(folders, dict):
            folders = self.data["folders"] = {}
        folders[kind] = str(Path(folder))
        self.save()
