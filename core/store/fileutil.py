"""Writing output files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

# The process's umask, read once at import (reading it means setting it).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def give_mode(tmp: Path, target: Path) -> None:
    """A temporary file is private (0600); give it the target's mode, or the usual one for a new file."""
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_UMASK
        os.chmod(tmp, mode)
    except OSError:
        pass  # e.g. a file system without modes: nothing to fix


class OutputError(OSError):
    """An output file could not be written. ``str()`` is a Chinese sentence naming the file."""


def describe_read_error(exc: OSError, path: Path | str, verb: str = "无法读取") -> str:
    """A file that cannot be read, in one Chinese sentence naming it."""
    if isinstance(exc, FileNotFoundError):
        why = "文件不存在"
    elif isinstance(exc, IsADirectoryError):
        why = "这是一个文件夹"
    elif isinstance(exc, PermissionError):
        why = "没有读取权限"
    else:
        why = exc.strerror or str(exc)
    return f"{verb} {path}：{why}"


def describe_os_error(exc: OSError, path: Path | str) -> str:
    if isinstance(exc, OutputError):  # already one sentence naming the file: never “无法写入 X：无法写入 X：…”
        return str(exc)
    name = str(path)
    if isinstance(exc, PermissionError):
        return f"无法写入 {name}：没有写入权限，或文件正被其他程序（如 Excel、WPS）打开"
    if isinstance(exc, FileNotFoundError):
        return f"无法写入 {name}：所在文件夹不存在"
    if isinstance(exc, IsADirectoryError):
        return f"无法写入 {name}：这是一个文件夹"
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"无法写入 {name}：磁盘空间已满（或超出允许的文件大小）"
    return f"无法写入 {name}：{exc.strerror or exc}"


def write_atomic(path: Path | str, produce: Callable[[Path], None]) -> None:
    """Call ``produce(tmp)`` to write a temporary file, then rename it over ``path``.

    The old file stays untouched unless the new one was written completely.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, path)) from None
    tmp = Path(tmp_name)
    try:
        produce(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        give_mode(tmp, path)
        os.replace(tmp, path)
        sync_folder(path.parent)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(describe_os_error(exc, path)) from None
    finally:
        if tmp.exists():
            try:
                tmp.unlink()
            except OSError:
                pass


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable: until the folder itself is synced, a power cut may
    bring back the old name. (Windows has no such call; its rename is journalled by NTFS.)"""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(fd)


def write_text_atomic(path: Path | str, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
