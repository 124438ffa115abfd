"""Many reports at once: the files named on a command line or picked in the window, folders
opened to the reports in them (INTERCHANGE.md, ``check`` and ``summary``).

Nothing is skipped without a word: a file that cannot be read and a folder with no report in it
come back as an entry with the reason, so a 汇总表 or a batch check can list them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.model.model import Report
from core.store.loading import load_report
from core.store.storage_format import LoadError

#: What a folder's reports are: report JSON and document files.
REPORT_SUFFIXES = (".json", ".jxzp")


@dataclass
class Loaded:
    """One report file: the report, or why it could not be read (one Chinese sentence)."""

    path: Path
    report: Report | None = None
    error: str | None = None


def report_paths(items: Iterable[Path | str]) -> list[Path | Loaded]:
    """The files to read, in the order given; a folder stands for its reports (by name, not its
    subfolders). A folder with none comes back as a :class:`Loaded` saying so. A file given twice
    (also through its folder) is read once."""
    out: list[Path | Loaded] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)

    for item in items:
        path = Path(item)
        if not path.is_dir():
            add(path)
            continue
        try:
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in REPORT_SUFFIXES and p.is_file())
        except OSError as exc:
            out.append(Loaded(path, error=f"无法读取文件夹 {path}：{exc.strerror or exc}"))
            continue
        if not found:
            out.append(Loaded(path, error=f"文件夹 {path} 中没有报告文件（.json 或 .jxzp）"))
        for p in found:
            add(p)
    return out


def load_many(items: Iterable[Path | str]) -> Iterator[Loaded]:
    """Read each report of :func:`report_paths`, one at a time (200 reports need not sit in memory
    together)."""
    for entry in report_paths(items):
        if isinstance(entry, Loaded):
            yield entry
            continue
        try:
            yield Loaded(entry, report=load_report(entry))
        except LoadError as exc:
            yield Loaded(entry, error=str(exc))
