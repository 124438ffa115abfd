"""Per-user settings: recent files, the last document, where new documents go.

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
