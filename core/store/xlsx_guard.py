"""Opening a workbook someone handed in, safely: what kind of file it is, whether it is too big to
be honest, and openpyxl's own failures, each as one Chinese sentence naming the file.

The workbook is read by openpyxl in its normal (not read-only) mode, because the forms are read
through their merged cells (一级/二级 spans, merged titles), which read-only mode does not report.
Normal mode holds every cell in memory, so the size is checked before parsing: the zip's stated
uncompressed size, its compression ratio (a zip bomb packs gigabytes into kilobytes) and each
sheet's stated ``<dimension>``. openpyxl parses the XML through defusedxml (a pinned dependency),
which refuses entity declarations (the "billion laughs").
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

from core.store.storage_format import LoadError

MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled 自评表 is a few dozen KB; 50 MB is already absurd
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # all its XML; openpyxl needs some 50× that in memory
MAX_RATIO = 200  # uncompressed ÷ compressed of the whole zip: spreadsheet XML packs 10–30×
MAX_CELLS = 2_000_000  # rows × columns a sheet may say it spans
MAX_FILLED = 200_000  # cells a sheet may actually hold (a two-page form holds a few hundred)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "请在 Excel 或 WPS 中打开它，另存为 Excel 工作簿（.xlsx）后再导入"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _count_cells(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The ``<c>`` elements of a sheet, counted while streaming it (the stated dimension can lie)."""
    count, tail = 0, b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            count += len(_CELL.findall(data[: len(data) - 16] if len(chunk) == 1 << 20 else data))
            tail = data[len(data) - 16 :] if len(chunk) == 1 << 20 else b""
            if count > MAX_FILLED:
                break
    return count


def _refuse(path: Path, why: str) -> LoadError:
    return LoadError(f"无法导入 {path.name}：{why}")


def _check_ole(path: Path, head: bytes) -> LoadError:
    """An OLE compound file: an encrypted .xlsx (Excel wraps those in OLE), an .xls or a WPS .et."""
    try:
        with path.open("rb") as f:
            data = f.read(4 * 1024 * 1024)
    except OSError:
        data = head
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return _refuse(path, "文件设有打开密码（已加密），请在 Excel 或 WPS 中取消密码、另存为 .xlsx 后再导入")
    kind = "WPS 表格（.et）" if path.suffix.lower() == ".et" else "旧版 Excel 97-2003（.xls）"
    return _refuse(path, f"这是{kind}格式的文件，无法直接读取，{SAVE_AS}")


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                if "word/document.xml" in names:
                    raise _refuse(path, "这是 Word 文档（.docx），不是 Excel 工作簿")
                raise _refuse(path, "这不是 Excel 工作簿（.xlsx）")
            unpacked = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO and unpacked > 10 * 1024 * 1024:
                raise _refuse(path, "文件解压后大得不合常理（可能是损坏或恶意的文件），未读取")
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with z.open(info) as f:
                        head = f.read(4096)
                    if _count_cells(z, info) > MAX_FILLED:
                        raise _refuse(
                            path, f"工作表中的单元格多得不合常理（超过 {MAX_FILLED} 个），不像一份自评表，未读取"
                        )
                    m = _DIMENSION.search(head)
                    if m and m.group(3):
                        rows = int(m.group(4)) - int(m.group(2) or 1) + 1
                        cols = _column_number(m.group(3)) - _column_number(m.group(1) or b"A") + 1
                        if rows * cols > MAX_CELLS:
                            raise _refuse(
                                path, f"工作表的范围大得不合常理（{rows} 行 × {cols} 列），不像一份自评表，未读取"
                            )
    except zipfile.BadZipFile:
        raise _refuse(path, f"文件已损坏（不是完整的 .xlsx 文件），{SAVE_AS}") from None
    except (OSError, EOFError, RuntimeError) as exc:  # RuntimeError: a zip entry with its own password
        raise _refuse(path, f"文件已损坏或无法读取（{exc.__class__.__name__}），{SAVE_AS}") from None


def has_formulas(path: Path) -> bool:
    """Whether any sheet of the (already checked) workbook holds a formula."""
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with z.open(info) as f:
                    if _FORMULA.search(f.read()):
                        return True
    return False


def open_workbook(path: Path, data_only: bool = True):
    """The workbook at ``path`` (the values a formula last gave, unless ``data_only`` is false:
    then the formulas), or :class:`LoadError` saying why not."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise _refuse(path, "文件不存在") from None
    except OSError as exc:
        raise _refuse(path, f"无法读取文件（{exc.strerror or exc}）") from None
    if size == 0:
        raise _refuse(path, "文件是空的（0 字节）")
    if head.startswith(OLE_MAGIC):
        raise _check_ole(path, head)
    if size > MAX_FILE_BYTES:
        raise _refuse(path, "文件过大，不像一份自评表，未读取")
    if not head.startswith(b"PK"):
        raise _refuse(path, f"这不是 Excel 工作簿（.xlsx），或文件已损坏，{SAVE_AS}")
    _check_zip(path)
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned dependency
        raise _refuse(path, "缺少安全读取 XML 所需的 defusedxml 组件，请重新安装本程序")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles and extensions it skips
            return load_workbook(path, data_only=data_only)
    except Exception as exc:  # openpyxl raises anything from KeyError to defusedxml's own errors
        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(cause.__class__.__name__)
            cause = cause.__cause__ or cause.__context__
        name = chain[-1]
        if any("Entit" in n or "DTD" in n or "Forbidden" in n for n in chain):
            raise _refuse(path, "文件中含有不安全的 XML 实体声明（可能是恶意构造的文件），未读取") from None
        raise _refuse(path, f"文件已损坏，无法读取（{name}），{SAVE_AS}") from None
