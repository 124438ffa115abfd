"""Versions (历史版本) kept inside the document file: snapshots on opening, before exports and on
request, listed with their totals, restored as an undoable change, and thinned as they age."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.model.model import Report
from core.rules.summary import totals_json
from core.rules.totals import compute_totals
from core.store.jsonio import dumps_compact, loads, report_to_data
from core.store.storage_format import StorageError, save_error

KEEP_RECENT_AUTO = 10  # automatic snapshots kept as they are; older ones thinned to one a day
KEEP_DAYS = 60
REASONS = {"open": "打开时", "export": "导出前", "user": "手动保存", "restore": "恢复前", "import": "导入前"}


@dataclass
class VersionInfo:
    id: int
    created: datetime
    name: str
    reason: str
    auto: bool
    summary: dict

    @property
    def label(self) -> str:
        return self.name or REASONS.get(self.reason, self.reason)


def _summary(report: Report) -> dict:
    return totals_json(report, compute_totals(report))


def _pack(report: Report) -> tuple[bytes, str]:
    text = dumps_compact(report_to_data(report)).encode("utf-8")
    return zlib.compress(text, 6), hashlib.sha256(text).hexdigest()


class VersionsMixin:
    """The versions of a :class:`core.store.storage.DocumentFile` (its connection, lock and document)."""

    def snapshot(self, reason: str, name: str = "") -> int | None:
        """Keep the current report as a version. Automatic ones that equal the last are skipped."""
        if self.read_only:
            return None
        self.flush()
        report = self.document.report
        blob, digest = _pack(report)
        auto = not name
        with self._conn_lock:
            last = self._conn.execute("SELECT digest FROM versions ORDER BY id DESC LIMIT 1").fetchone()
            if auto and last is not None and last[0] == digest:
                return None
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                cur = self._conn.execute(
                    "INSERT INTO versions (created, name, reason, auto, summary, digest, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        datetime.now().isoformat(timespec="seconds"),
                        name,
                        reason,
                        int(auto),
                        dumps_compact(_summary(report)),
                        digest,
                        blob,
                    ),
                )
                if auto:
                    self._thin()
                self._conn.execute("COMMIT")
            except (sqlite3.Error, OSError) as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise save_error(exc, self.path) from None
            return cur.lastrowid

    def _thin(self, now: datetime | None = None) -> None:
        """Keep every named version, the newest automatic ones, and one a day for older ones."""
        now = now or datetime.now()
        rows = self._conn.execute("SELECT id, created FROM versions WHERE auto = 1 ORDER BY id DESC").fetchall()
        seen_days: set[str] = set()
        drop = []
        for n, (vid, created) in enumerate(rows):
            if n < KEEP_RECENT_AUTO:
                continue
            when = datetime.fromisoformat(created)
            day = created[:10]
            if when < now - timedelta(days=KEEP_DAYS) or day in seen_days:
                drop.append((vid,))
            seen_days.add(day)
        if drop:
            self._conn.executemany("DELETE FROM versions WHERE id = ?", drop)

    def versions(self) -> list[VersionInfo]:
        with self._conn_lock:
            rows = self._conn.execute(
                "SELECT id, created, name, reason, auto, summary FROM versions ORDER BY id DESC"
            ).fetchall()
        return [VersionInfo(r[0], datetime.fromisoformat(r[1]), r[2], r[3], bool(r[4]), json.loads(r[5])) for r in rows]

    def version_report(self, version_id: int) -> Report:
        with self._conn_lock:
            row = self._conn.execute("SELECT data FROM versions WHERE id = ?", (version_id,)).fetchone()
        if row is None:
            raise StorageError(f"历史版本 {version_id} 不存在")
        return loads(zlib.decompress(row[0]).decode("utf-8"))

    def restore(self, version_id: int) -> None:
        """Make a version the current report: an undoable change; the state before it is kept too."""
        info = next((v for v in self.versions() if v.id == version_id), None)
        report = self.version_report(version_id)
        self.snapshot("restore")
        when = info.created.strftime("%Y-%m-%d %H:%M") if info else str(version_id)
        self.document.replace_report(report, f"恢复历史版本（{when} {info.label if info else ''}）".strip())
