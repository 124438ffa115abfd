"""Applies a deterministic stream of edits to a document and prints each one once committed.

Used by the crash test, which kills this process with SIGKILL at random moments.
``python -m tests.helpers.crash_writer FILE [--no-flush]``
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal

from core.document import Document
from core.model.model import Indicator
from core.store.storage import DocumentFile


def apply_edit(doc: Document, i: int) -> None:
    """Edit number ``i`` (1-based): the same on every run, so a test can replay the stream."""
    with doc.batch(f"第 {i} 次修改"):
        doc.set_value(("project", "code"), str(i))
        kind = i % 4
        if kind == 0:
            doc.insert(
                ("indicators",),
                len(doc.report.indicators),
                Indicator(name=f"新增指标{i}", weight=Decimal(i % 7)),
                "添加指标",
            )
        elif kind == 1:
            doc.set_text(("narrative", 0, "text"), f"第{i}段正文。" * (i % 50 + 1))
        elif kind == 2 and len(doc.report.indicators) > 4:
            doc.remove(("indicators",), len(doc.report.indicators) - 1, "删除指标")
        else:
            doc.set_text(("funds", "sources", 0, "spent"), str(Decimal(i) / 100))


def main() -> None:
    path = sys.argv[1]
    flush = "--no-flush" not in sys.argv
    doc_file = DocumentFile.open(path, snapshot=False)
    doc = doc_file.document
    start = int(doc.report.project.code or 0)
    i = start
    while True:
        i += 1
        apply_edit(doc, i)
        if flush:
            doc_file.flush()  # committed: now it may be reported
            print(i, flush=True)
        else:
            print(i, flush=True)
            time.sleep(3600)


if __name__ == "__main__":
    main()
