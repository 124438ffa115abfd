"""The document file's format: its SQLite schema, how a file is recognised, validated, read and
first written, and the errors a user can meet. The live, autosaving file is core/store/storage.py."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from core.model.model import Report
from core.store.fileutil import OutputError, describe_read_error, write_atomic
from core.store.jsonio import (
    NESTING_REASON,
    PART_WRITERS,
    ReportFormatError,
    check_writable,
    dumps_compact,
    head_to_data,
    indicator_to_data,
    report_from_data,
    section_to_data,
)

SUFFIX = ".jxzp"
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite file
APPLICATION_ID = 0x4A585A50  # "JXZP": tells our files from any other SQLite database
SCHEMA_VERSION = 1

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


class LoadError(Exception):
    """A file cannot be read as a report. ``str()`` is one Chinese sentence naming the file."""


class StorageError(Exception):
    """A document file problem. ``str()`` is one Chinese sentence naming the file."""


class OpenError(StorageError):
    """The file cannot be opened; it has not been written to."""


class DocumentBusy(OpenError):
    """Another window or program has the document open for writing. What it has saved can still
    be read from a copy (:func:`snapshot_copy`)."""


def busy_error(path: Path) -> DocumentBusy:
    return DocumentBusy(f"无法打开 {path}：该文档已在另一个窗口或程序中打开")


class SaveError(StorageError):
    """Changes could not be written just now; they stay in memory and are retried."""


def uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def check_header(path: Path) -> None:
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


def validate(conn: sqlite3.Connection, path: Path) -> int:
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
        raise open_error(exc, path) from None
    return version


def disk_reason(exc: BaseException) -> str | None:
    """SQLite's and the system's words for a disk problem, in the user's; None for anything else."""
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) == 28:
        return "磁盘空间已满，请清理磁盘后重试"
    if "disk i/o error" in text:
        return "读写磁盘时出错（磁盘可能已满、已被拔出或已损坏）"
    return None


def open_error(exc: sqlite3.Error, path: Path) -> OpenError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return busy_error(path)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return OpenError(f"无法打开 {path}：文件已损坏或不完整")
    if "readonly" in text or "read-only" in text:
        return OpenError(f"无法打开 {path}：文件或所在文件夹是只读的")
    return OpenError(f"无法打开 {path}：{disk_reason(exc) or exc}")


def save_error(exc: BaseException, path: Path) -> SaveError:
    text = str(exc).lower()
    if disk_reason(exc) is not None:
        why = disk_reason(exc)
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        why = "文件或所在文件夹变为只读"
    else:
        why = f"写入失败（{exc}）"
    return SaveError(f"无法保存到 {path}：{why}。修改仍保留在内存中，恢复后会自动写入")


def read_parts(conn: sqlite3.Connection, path: Path) -> Report:
    try:
        rows = conn.execute("SELECT kind, idx, data FROM parts ORDER BY kind, idx").fetchall()
    except sqlite3.DatabaseError as exc:
        raise open_error(exc, path) from None
    parts: dict[str, list] = {}
    for kind, _idx, data in rows:
        parts.setdefault(kind, []).append(_part(data, kind, path))
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


def _part(data: object, kind: str, path: Path) -> object:
    """One stored part, read as JSON; a damaged one (cut short, not text, of the wrong shape, nested
    without end) is one sentence, never a traceback."""
    name, shape = _PARTS.get(kind, (kind, object))
    damaged = f"无法打开 {path}：文件已损坏，{name}部分"
    if not isinstance(data, str | bytes):
        raise OpenError(f"{damaged}是空的")
    try:
        value = json.loads(data, parse_float=Decimal)
    except RecursionError:
        raise OpenError(f"{damaged}{NESTING_REASON}") from None
    except ValueError:  # JSONDecodeError, and UnicodeDecodeError for bytes that are not UTF-8
        raise OpenError(f"{damaged}不完整或不是有效的数据") from None
    if not isinstance(value, shape):
        raise OpenError(f"{damaged}不是应有的内容")
    return value


#: Each stored part of a report: what the user calls it (for messages about a damaged file) and
#: the JSON shape it must have.
_PARTS = {
    "head": ("报告基本信息", dict),
    "project": ("项目信息", dict),
    "team": ("评价小组", list),
    "funds": ("项目资金", dict),
    "indicators": ("绩效指标", dict),
    "narrative": ("报告正文", dict),
}


def part_rows(report: Report) -> list[tuple[str, int, str]]:
    rows = [("head", 0, dumps_compact(head_to_data(report)))]
    rows += [(key, 0, dumps_compact(write(report))) for key, write in PART_WRITERS.items()]
    rows += [("indicators", i, dumps_compact(indicator_to_data(n))) for i, n in enumerate(report.indicators)]
    rows += [("narrative", i, dumps_compact(section_to_data(s))) for i, s in enumerate(report.narrative)]
    return rows


def new_sqlite_file(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Write a new SQLite file at ``path`` atomically; ``fill(conn)`` gives it its content."""

    def produce(tmp: Path) -> None:
        try:
            conn = sqlite3.connect(tmp)  # the empty temporary file becomes the database
            try:
                fill(conn)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise OutputError(f"无法写入 {path}：{disk_reason(exc) or exc}") from None

    write_atomic(path, produce)


def write_new_document(path: Path | str, report: Report) -> None:
    """Write ``report`` as a new document file, atomically (a temporary file, then a rename),
    once it is sure to be readable (OutputError otherwise)."""
    try:
        check_writable(report)
    except ReportFormatError as exc:
        raise OutputError(f"无法写入 {path}：{exc}") from None

    def fill(conn: sqlite3.Connection) -> None:
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with conn:
            now = datetime.now().isoformat(timespec="seconds")
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("created", now), ("program", "绩效自评助手")])
            conn.executemany("INSERT INTO parts VALUES (?, ?, ?)", part_rows(report))

    new_sqlite_file(Path(path), fill)


@contextmanager
def snapshot_copy(path: Path) -> Iterator[Path]:
    """A private copy of a document that another window or program is editing: the file and its
    write-ahead log, copied byte for byte (the writer's locks are advisory and do not stop a plain
    read). SQLite reads the copy as of the writer's last commit; a commit under way when the copy
    was taken is simply not in it (its frames fail their checksums). Removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="jxzp-snapshot-") as folder:
        copy = Path(folder) / "snapshot.jxzp"
        try:
            shutil.copyfile(path, copy)
            wal = Path(f"{path}-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{copy}-wal"))
        except OSError as exc:
            raise OpenError(describe_read_error(exc, path, "无法打开")) from None
        yield copy


def read_document_report(path: Path | str) -> Report:
    """Read the report in a document file without changing the file (for check/export). A
    document open in the window is read as the window last saved it."""
    path = Path(path)
    try:
        if Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists():
            # A document left by a crash (or open in the window): SQLite would make a -shm beside
            # it to read its log, and leave it there. A private copy reads the same and leaves nothing.
            try:
                with snapshot_copy(path) as copy:
                    return _read_report(copy, path)
            except OpenError:
                pass  # no room for the copy (a full disk): read it where it is
        try:
            return _read_report(path, path)
        except DocumentBusy:
            with snapshot_copy(path) as copy:
                return _read_report(copy, path)
    except OpenError as exc:
        raise LoadError(str(exc)) from None


def read_only_connection(source: Path, path: Path, timeout: float = 0.2) -> tuple[sqlite3.Connection, Report]:
    """A read-only connection to ``source``, validated, and the report in it; messages name ``path``
    (the user's file, when ``source`` is a copy). The caller closes the connection."""
    try:
        conn = sqlite3.connect(uri(source, "ro"), uri=True, timeout=timeout, check_same_thread=False)
    except sqlite3.Error as exc:
        raise open_error(exc, path) from None
    try:
        validate(conn, path)
        return conn, read_parts(conn, path)
    except BaseException:
        conn.close()
        raise


def _read_report(source: Path, path: Path) -> Report:
    """The report in ``source``; messages name ``path`` (the user's file, when reading a copy)."""
    check_header(source)
    conn, report = read_only_connection(source, path, timeout=0.5)
    conn.close()
    return report
