"""The document file (``.jxzp``): one SQLite database per report, saved continuously.

Every change the document makes is serialised at once (only the parts it touched) and committed
by a writer thread within a second, so typing never waits for the disk and there is no save
step. Snapshots (历史版本) are kept in the same file.

Durability: the database runs in WAL mode with ``synchronous=FULL``. In WAL mode FULL makes
SQLite fsync the WAL at every commit, so a commit that returned survives a power cut; NORMAL
would only sync at checkpoints and could lose the last commits. WAL also keeps readers of the
main file consistent while a commit is under way, and a torn write never reaches the main file.
``locking_mode=EXCLUSIVE`` holds the file for the one window that edits it (a second opener is
refused) and lets WAL work without shared memory, so it also works on network drives.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from core.document import Change, Document
from core.fileutil import OutputError, describe_read_error, write_atomic
from core.jsonio import (
    PART_WRITERS,
    ReportFormatError,
    dumps_compact,
    head_to_data,
    indicator_to_data,
    loads,
    report_from_data,
    report_to_data,
    section_to_data,
)
from core.loading import SQLITE_MAGIC, LoadError
from core.model import Report
from core.summary import totals_json
from core.totals import compute_totals

SUFFIX = ".jxzp"
APPLICATION_ID = 0x4A585A50  # "JXZP": tells our files from any other SQLite database
SCHEMA_VERSION = 1
COALESCE_SECONDS = 0.3  # a burst of edits within this is written in one commit
RETRY_SECONDS = 2.0  # after a failed write (disk full, folder unwritable)
KEEP_RECENT_AUTO = 10  # automatic snapshots kept as they are; older ones thinned to one a day
KEEP_DAYS = 60

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE parts (kind TEXT NOT NULL, idx INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, idx));
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    auto INTEGER NOT NULL,
    summary TEXT NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL
);
"""
#: Upgrades of older files: MIGRATIONS[n] turns schema version n into n + 1, in one transaction.
#: Version 1 is the first released schema, so there is nothing to migrate yet.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

LIST_KINDS = ("indicators", "narrative")
REASONS = {"open": "打开时", "export": "导出前", "user": "手动保存", "restore": "恢复前", "import": "导入前"}


# Documents open in this process, by resolved path. Checked before the file is touched at all:
# on POSIX, opening and closing any descriptor of a file drops every lock this process holds on
# it, so even a failed second open from this process would free the first one's lock.
_OPEN: dict[str, DocumentFile] = {}
_OPEN_LOCK = threading.Lock()


def _key(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


class StorageError(Exception):
    """A document file problem. ``str()`` is one Chinese sentence naming the file."""


class OpenError(StorageError):
    """The file cannot be opened; it has not been written to."""


class SaveError(StorageError):
    """Changes could not be written just now; they stay in memory and are retried."""


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


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def _check_header(path: Path) -> None:
    """Refuse what is clearly not a document before SQLite touches it (SQLite would happily turn
    an empty file into a new database)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise OpenError(describe_read_error(exc, path, "无法打开")) from None
    if size == 0:
        raise OpenError(f"无法打开 {path}：文件是空的，不是绩效自评文档")
    if not head.startswith(SQLITE_MAGIC):
        raise OpenError(f"无法打开 {path}：不是绩效自评文档（.jxzp）")
    if size < 512 or len(head) < 100:
        raise OpenError(f"无法打开 {path}：文件不完整（可能在复制时被截断）")


def _validate(conn: sqlite3.Connection, path: Path) -> int:
    """Check that this is our file, of a version we can read, and not damaged. Returns the version."""
    try:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app != APPLICATION_ID:
            raise OpenError(f"无法打开 {path}：这是其他程序的数据库文件，不是绩效自评文档")
        if version > SCHEMA_VERSION:
            raise OpenError(f"无法打开 {path}：文件由更新版本的绩效自评助手创建，请升级本程序后再打开")
        if version < 1:
            raise OpenError(f"无法打开 {path}：文件不完整（没有版本信息），不是有效的绩效自评文档")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise OpenError(f"无法打开 {path}：文件已损坏（{check}）")
    except sqlite3.DatabaseError as exc:
        raise _open_error(exc, path) from None
    return version


def _open_error(exc: sqlite3.Error, path: Path) -> OpenError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return OpenError(f"无法打开 {path}：该文档已在另一个窗口或程序中打开")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return OpenError(f"无法打开 {path}：文件已损坏或不完整")
    if "readonly" in text or "read-only" in text:
        return OpenError(f"无法打开 {path}：文件或所在文件夹是只读的")
    return OpenError(f"无法打开 {path}：{exc}")


def _save_error(exc: BaseException, path: Path) -> SaveError:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) == 28:
        why = "磁盘空间已满"
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        why = "文件或所在文件夹变为只读"
    else:
        why = f"写入失败（{exc}）"
    return SaveError(f"无法保存到 {path}：{why}。修改仍保留在内存中，恢复后会自动写入")


def _read_parts(conn: sqlite3.Connection, path: Path) -> Report:
    try:
        rows = conn.execute("SELECT kind, idx, data FROM parts ORDER BY kind, idx").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _open_error(exc, path) from None
    parts: dict[str, list] = {}
    for kind, _idx, data in rows:
        parts.setdefault(kind, []).append(json.loads(data, parse_float=Decimal))
    if "head" not in parts:
        raise OpenError(f"无法打开 {path}：文件中没有报告内容（已损坏或不完整）")
    data = dict(parts["head"][0])
    for key in PART_WRITERS:
        if key in parts:
            data[key] = parts[key][0]
    for key in LIST_KINDS:
        data[key] = parts.get(key, [])
    try:
        return report_from_data(data)
    except ReportFormatError as exc:
        raise OpenError(f"无法打开 {path}：文件内容有误（{exc}）") from None


def _part_rows(report: Report) -> list[tuple[str, int, str]]:
    rows = [("head", 0, dumps_compact(head_to_data(report)))]
    rows += [(key, 0, dumps_compact(write(report))) for key, write in PART_WRITERS.items()]
    rows += [("indicators", i, dumps_compact(indicator_to_data(n))) for i, n in enumerate(report.indicators)]
    rows += [("narrative", i, dumps_compact(section_to_data(s))) for i, s in enumerate(report.narrative)]
    return rows


def _summary(report: Report) -> dict:
    return totals_json(report, compute_totals(report))


def _pack(report: Report) -> tuple[bytes, str]:
    text = dumps_compact(report_to_data(report)).encode("utf-8")
    return zlib.compress(text, 6), hashlib.sha256(text).hexdigest()


def _new_sqlite_file(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Write a new SQLite file at ``path`` atomically; ``fill(conn)`` gives it its content."""

    def produce(tmp: Path) -> None:
        try:
            conn = sqlite3.connect(tmp)  # the empty temporary file becomes the database
            try:
                fill(conn)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise OutputError(f"无法写入 {path}：{exc}") from None

    write_atomic(path, produce)


def write_new_document(path: Path | str, report: Report) -> None:
    """Write ``report`` as a new document file, atomically (a temporary file, then a rename)."""

    def fill(conn: sqlite3.Connection) -> None:
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with conn:
            now = datetime.now().isoformat(timespec="seconds")
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("created", now), ("program", "绩效自评助手")])
            conn.executemany("INSERT INTO parts VALUES (?, ?, ?)", _part_rows(report))

    _new_sqlite_file(Path(path), fill)


def read_document_report(path: Path | str) -> Report:
    """Read the report in a document file without changing the file (for check/export)."""
    path = Path(path)
    try:
        _check_header(path)
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=0.5)
    except OpenError as exc:
        raise LoadError(str(exc)) from None
    except sqlite3.Error as exc:
        raise LoadError(str(_open_error(exc, path))) from None
    try:
        _validate(conn, path)
        return _read_parts(conn, path)
    except OpenError as exc:
        raise LoadError(str(exc)) from None
    finally:
        conn.close()


class DocumentFile:
    """An open document file bound to a :class:`Document`, saving every change."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool, report: Report):
        self.path = path
        self.read_only = read_only
        self.document = Document(report)
        self.document.read_only = read_only
        self._conn = conn
        self._conn_lock = threading.Lock()
        # Held from taking the pending rows until they are committed, so an older batch can never
        # be written after a newer one (writer thread and flush() both write).
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._pending: dict[tuple[str, int], str] = {}
        self._trim: dict[str, int] = {}
        self._closing = False
        self._status = "saved"
        self.error: SaveError | None = None
        #: Called as ``on_status(status)`` with "saved", "saving" or "error", from any thread.
        self.on_status: Callable[[str], None] | None = None
        self._writer: threading.Thread | None = None
        if not read_only:
            self.document.subscribe(self._on_change)
            self._writer = threading.Thread(target=self._write_loop, name="jxzp-writer", daemon=True)
            self._writer.start()

    # --- opening and creating -----------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, report: Report) -> DocumentFile:
        """A new document file at ``path`` holding ``report``; then open it."""
        write_new_document(path, report)
        return cls.open(path, snapshot=False)

    @classmethod
    def open(cls, path: Path | str, snapshot: bool = True) -> DocumentFile:
        """Open a document for editing, or read-only when the file or folder cannot be written.

        Raises :class:`OpenError` with a Chinese sentence; a file we cannot read is never written.
        """
        path = Path(path)
        with _OPEN_LOCK:
            if _key(path) in _OPEN:
                raise OpenError(f"无法打开 {path}：该文档已在另一个窗口或程序中打开")
            doc = cls._open(path, snapshot)
            _OPEN[_key(path)] = doc
        return doc

    @classmethod
    def _open(cls, path: Path, snapshot: bool) -> DocumentFile:
        _check_header(path)
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        # First look at it without writing anything.
        try:
            probe = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=0.2)
        except sqlite3.Error as exc:
            raise _open_error(exc, path) from None
        try:
            version = _validate(probe, path)
            if not writable:
                report = _read_parts(probe, path)
                return cls(path, probe, True, report)
        except BaseException:
            probe.close()
            raise
        probe.close()
        try:
            conn = sqlite3.connect(path, timeout=0.2, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise _open_error(exc, path) from None
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")  # takes the exclusive lock now: a second opener is refused
            for v in range(version, SCHEMA_VERSION):
                MIGRATIONS[v](conn)
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('opened', ?)",
                         (datetime.now().isoformat(timespec="seconds"),))
            conn.execute("COMMIT")
            report = _read_parts(conn, path)
        except sqlite3.Error as exc:
            conn.close()
            raise _open_error(exc, path) from None
        except BaseException:
            conn.close()
            raise
        doc = cls(path, conn, False, report)
        if snapshot:
            try:
                doc.snapshot("open")
            except SaveError:
                pass  # a full disk must not stop anyone opening their work
        return doc

    # --- saving -------------------------------------------------------------------------------

    @property
    def status(self) -> str:
        return self._status

    def _set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            if self.on_status is not None:
                self.on_status(status)

    def _on_change(self, changes: list[Change], how: str) -> None:
        report = self.document.report
        single: set[str] = set()
        lists: set[str] = set()
        items: set[tuple[str, int]] = set()
        for c in changes:
            if c.kind == "reset":
                single.update(("head", *PART_WRITERS))
                lists.update(LIST_KINDS)
                continue
            head = c.path[0]
            if head in LIST_KINDS:
                if len(c.path) >= 2:
                    items.add((head, c.path[1]))
                else:
                    lists.add(head)
            elif head in PART_WRITERS:
                single.add(head)
            else:
                single.add("head")
        rows: dict[tuple[str, int], str] = {}
        for key in single:
            data = head_to_data(report) if key == "head" else PART_WRITERS[key](report)
            rows[(key, 0)] = dumps_compact(data)
        writers = {"indicators": indicator_to_data, "narrative": section_to_data}
        for kind in lists:
            nodes = getattr(report, kind)
            for i, node in enumerate(nodes):
                rows[(kind, i)] = dumps_compact(writers[kind](node))
        for kind, i in items:
            if kind not in lists:
                rows[(kind, i)] = dumps_compact(writers[kind](getattr(report, kind)[i]))
        with self._cond:
            self._pending.update(rows)
            for kind in lists:
                n = len(getattr(report, kind))
                self._trim[kind] = n
                for key in [k for k in self._pending if k[0] == kind and k[1] >= n]:
                    del self._pending[key]
            self._set_status("saving" if self._status != "error" else "error")
            self._cond.notify()

    def _take(self) -> tuple[dict, dict]:
        pending, trim = self._pending, self._trim
        self._pending, self._trim = {}, {}
        return pending, trim

    def _write(self, pending: dict, trim: dict) -> None:
        with self._conn_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                for kind, n in trim.items():
                    conn.execute("DELETE FROM parts WHERE kind = ? AND idx >= ?", (kind, n))
                conn.executemany("INSERT OR REPLACE INTO parts VALUES (?, ?, ?)",
                                 [(k, i, d) for (k, i), d in pending.items()])
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._trim and not self._closing:
                    self._cond.wait()
                if self._closing:
                    return  # close() writes what is left
                # Let a burst of typing gather, but commit well within a second of the first change.
                deadline = time.monotonic() + COALESCE_SECONDS
                while not self._closing and (left := deadline - time.monotonic()) > 0:
                    self._cond.wait(left)
            if not self._write_pending():
                with self._cond:
                    if not self._closing:
                        self._cond.wait(RETRY_SECONDS)

    def _write_pending(self) -> bool:
        with self._write_lock:
            with self._cond:
                pending, trim = self._take()
            if not pending and not trim:
                return True
            try:
                self._write(pending, trim)
            except (sqlite3.Error, OSError) as exc:
                with self._cond:
                    # Keep the failed rows unless a newer edit has replaced them meanwhile.
                    for key, value in pending.items():
                        self._pending.setdefault(key, value)
                    for kind, n in trim.items():
                        self._trim.setdefault(kind, n)
                    self.error = _save_error(exc, self.path)
                    self._set_status("error")
                    self._cond.notify_all()  # the writer retries
                return False
            with self._cond:
                self.error = None
                self._set_status("saving" if self._pending or self._trim else "saved")
            return True

    def flush(self) -> None:
        """Write every pending change now, on this thread. Raises :class:`SaveError` if it cannot."""
        if self.read_only:
            return
        if not self._write_pending():
            raise self.error

    def close(self) -> None:
        """Write what is pending and close. Unwritten changes raise :class:`SaveError` (kept)."""
        if self._conn is None:
            return
        error = None
        if not self.read_only:
            self.document.unsubscribe(self._on_change)
            with self._cond:
                self._closing = True
                self._cond.notify_all()
            if self._writer is not None:
                self._writer.join()
            try:
                self.flush()
            except SaveError as exc:
                error = exc
            with self._conn_lock:
                try:
                    # Leave a single, self-contained file behind (no -wal beside it).
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    self._conn.execute("PRAGMA journal_mode = DELETE")
                except sqlite3.Error:
                    pass
        self._conn.close()
        self._conn = None
        with _OPEN_LOCK:
            if _OPEN.get(_key(self.path)) is self:
                del _OPEN[_key(self.path)]
        if error is not None:
            raise error

    # --- versions (历史版本) -------------------------------------------------------------------

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
                    (datetime.now().isoformat(timespec="seconds"), name, reason, int(auto),
                     dumps_compact(_summary(report)), digest, blob))
                if auto:
                    self._thin()
                self._conn.execute("COMMIT")
            except (sqlite3.Error, OSError) as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise _save_error(exc, self.path) from None
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
                "SELECT id, created, name, reason, auto, summary FROM versions ORDER BY id DESC").fetchall()
        return [VersionInfo(r[0], datetime.fromisoformat(r[1]), r[2], r[3], bool(r[4]), json.loads(r[5]))
                for r in rows]

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

    # --- copies -------------------------------------------------------------------------------

    def save_copy(self, target: Path | str) -> None:
        """另存为: a consistent copy through SQLite's backup API, written beside and renamed."""
        self.flush()

        def fill(dest: sqlite3.Connection) -> None:
            with self._conn_lock:
                self._conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")

        _new_sqlite_file(Path(target), fill)
