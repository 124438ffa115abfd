"""The document file (``.jxzp``): one SQLite database per report, saved continuously.

Every change the document makes is serialised at once (only the parts it touched) and committed
by a writer thread within a second, so typing never waits for the disk and there is no save
step. Snapshots (历史版本) are kept in the same file (core/store/versions.py); the file format, its
validation and first writing are in core/store/storage_format.py.

Durability: the database runs in WAL mode with ``synchronous=FULL``. In WAL mode FULL makes
SQLite fsync the WAL at every commit, so a commit that returned survives a power cut; NORMAL
would only sync at checkpoints and could lose the last commits. WAL also keeps readers of the
main file consistent while a commit is under way, and a torn write never reaches the main file.
``locking_mode=EXCLUSIVE`` holds the file for the one window that edits it (a second opener is
refused) and lets WAL work without shared memory, so it also works on network drives.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from core.document import BUSY_MESSAGE, DISK_FULL_MESSAGE, READ_ONLY_MESSAGE, Change, Document
from core.model.model import Report
from core.store.jsonio import PART_WRITERS, dumps_compact, head_to_data, indicator_to_data, section_to_data
from core.store.storage_format import (
    LIST_KINDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    SaveError,
    busy_error,
    check_header,
    disk_reason,
    new_sqlite_file,
    open_error,
    read_only_connection,
    read_parts,
    save_error,
    snapshot_copy,
    validate,
    write_new_document,
)
from core.store.versions import VersionsMixin

# From the last keystroke to the disk within a second: a long text becomes a change after a pause
# in typing of TYPING_PAUSE_SECONDS (gui/bindings.py: long texts and one-line fields alike; a grid
# cell when it is left),
# and the writer waits COALESCE_SECONDS for more changes before it commits. Change one, mind the sum.
TYPING_PAUSE_SECONDS = 0.7
COALESCE_SECONDS = 0.3  # a burst of edits within this is written in one commit
RETRY_SECONDS = 2.0  # after a failed write (disk full, folder unwritable)

# Documents open in this process, by resolved path. Checked before the file is touched at all:
# on POSIX, opening and closing any descriptor of a file drops every lock this process holds on
# it, so even a failed second open from this process would free the first one's lock.
_OPEN: dict[str, DocumentFile] = {}
_OPEN_LOCK = threading.Lock()


def _key(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


class _WriterLock:
    """One writer per document, across processes, whatever else this process does with the file.

    SQLite's own lock is a POSIX record lock, and POSIX drops every such lock a process holds on a
    file as soon as the process closes *any* descriptor of that file: a file dialog that peeks at
    the document to guess its type, a copy, a second open that fails. After that a second program
    could open the document for writing while this one still edits it. ``flock`` locks belong to
    the open file description instead and survive all of that, so every writer takes one first.
    (Windows locks belong to the handle already; there this is a no-op.)
    """

    def __init__(self, fd: int):
        self._fd = fd

    @classmethod
    def take(cls, path: Path) -> _WriterLock | None:
        if fcntl is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None  # SQLite will say what is wrong with the file
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise busy_error(path) from None
        except OSError:
            # A file system without flock (some network shares): SQLite's lock still guards it.
            os.close(fd)
            return None
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the description releases the lock
            self._fd = None


class DocumentFile(VersionsMixin):
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
        self._lock: _WriterLock | None = None
        self._snapshot = None  # the copy behind open_snapshot()
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
                raise busy_error(path)
            doc = cls._open(path, snapshot)
            _OPEN[_key(path)] = doc
        return doc

    @classmethod
    def open_snapshot(cls, path: Path | str) -> DocumentFile:
        """Open, read-only, what another window or program editing the document has saved: a
        private copy (:func:`snapshot_copy`) that lives until this is closed. 另存为 works from it."""
        path = Path(path)
        with ExitStack() as stack:
            copy = stack.enter_context(snapshot_copy(path))
            check_header(copy)
            conn, report = read_only_connection(copy, path)
            stack.callback(conn.close)
            doc = cls(path, conn, True, report)
            doc.document.read_only_message = BUSY_MESSAGE
            doc._snapshot = stack.pop_all()  # kept until close(); closing it removes the copy
        return doc

    @classmethod
    def _open(cls, path: Path, snapshot: bool) -> DocumentFile:
        check_header(path)
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        lock = _WriterLock.take(path) if writable else None
        companions = [Path(f"{path}{end}") for end in ("-wal", "-shm")]
        existed = [p.exists() for p in companions]
        try:
            doc = cls._open_locked(path, snapshot, writable)
            if doc.read_only and lock is not None:  # opened for reading after all (a full disk)
                lock.release()
                lock = None
        except BaseException:
            if lock is not None:
                lock.release()
            # A refused file is left as it was found: no -wal or -shm of ours beside it.
            for companion, was in zip(companions, existed, strict=True):
                if not was:
                    try:
                        companion.unlink(missing_ok=True)
                    except OSError:
                        pass
            raise
        doc._lock = lock
        return doc

    @classmethod
    def _open_read_only(cls, path: Path, why: str = READ_ONLY_MESSAGE) -> DocumentFile:
        conn, report = read_only_connection(path, path)
        doc = cls(path, conn, True, report)
        doc.document.read_only_message = why
        return doc

    @classmethod
    def _open_locked(cls, path: Path, snapshot: bool, writable: bool) -> DocumentFile:
        if not writable:
            return cls._open_read_only(path)
        try:
            conn = sqlite3.connect(path, timeout=0.2, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise open_error(exc, path) from None
        try:
            # Exclusive before the first access: the write-ahead log's index then lives in this
            # process's memory, so no -shm file is ever made beside the document (not even when
            # a crash left a -wal to recover). Validation only reads: a file that is refused has
            # not been written to.
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            version = validate(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")  # takes the exclusive lock now: a second opener is refused
            try:
                for v in range(version, SCHEMA_VERSION):
                    MIGRATIONS[v](conn)
                if version < SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('opened', ?)", (datetime.now().isoformat(timespec="seconds"),)
                )
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                # The "opened" record is a courtesy: a full disk must not stop anyone opening their
                # work (their edits then wait in memory, under the red banner, for space). An
                # upgrade of an older file, though, must be written before the file is used.
                if version < SCHEMA_VERSION or disk_reason(exc) is None:
                    raise
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            report = read_parts(conn, path)
        except sqlite3.Error as exc:
            conn.close()
            if disk_reason(exc) is not None:  # no room even to start saving: it can still be read
                return cls._open_read_only(path, DISK_FULL_MESSAGE)
            raise open_error(exc, path) from None
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
                conn.executemany(
                    "INSERT OR REPLACE INTO parts VALUES (?, ?, ?)", [(k, i, d) for (k, i), d in pending.items()]
                )
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
                    self.error = save_error(exc, self.path)
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
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._snapshot is not None:
            self._snapshot.close()  # the private copy goes
            self._snapshot = None
        with _OPEN_LOCK:
            if _OPEN.get(_key(self.path)) is self:
                del _OPEN[_key(self.path)]
        if error is not None:
            raise error

    # --- copies -------------------------------------------------------------------------------

    def save_copy(self, target: Path | str) -> None:
        """另存为: a consistent copy through SQLite's backup API, written beside and renamed."""
        self.flush()

        def fill(dest: sqlite3.Connection) -> None:
            with self._conn_lock:
                self._conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")

        new_sqlite_file(Path(target), fill)
