"""Opening a report file of either kind (report JSON or document file) for reading."""

from __future__ import annotations

from pathlib import Path

from core.model.model import Report
from core.store.fileutil import describe_read_error
from core.store.jsonio import MAX_BYTES, ReportFormatError, loads
from core.store.storage_format import SQLITE_MAGIC, LoadError, read_document_report


def read_json_report(path: Path) -> Report:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(f"无法读取 {path}：文件过大，不是报告文件")
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(describe_read_error(exc, path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LoadError(f"无法读取 {path}：不是 UTF-8 编码的 JSON 文件") from None
    try:
        return loads(text)
    except ReportFormatError as exc:
        where = f"字段 {exc.path} " if exc.path else ""
        raise LoadError(f"无法读取 {path}：{where}{exc.message}") from None


def is_document_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def load_report(path: Path) -> Report:
    """Read a report from a ``.json`` file or a ``.jxzp`` document file (read-only)."""
    path = Path(path)
    if path.suffix.lower() == ".jxzp" or is_document_file(path):
        return read_document_report(path)
    return read_json_report(path)
