"""Check T01: text that no PDF font can print (a rare character in a name), named before export."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from core.export.coverage import printable
from core.model.model import Report, parse_path
from core.rules.checks import Finding
from core.store.jsonio import report_to_data

_LABELS = {
    "name": "名称",
    "title": "标题",
    "text": "正文",
    "explanation": "指标解释",
    "deviation": "偏差原因",
    "metric": "指标内容",
    "unit": "单位",
    "source": "资金来源",
    "content": "支出内容",
}


def _strings(data: Any, path: str = ""):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, f"{path}[{i}]")


def check_glyphs(report: Report) -> list[Finding]:
    """Check T01 with the fonts the PDF is made with: what the command line's check, the PDF export
    and the window's PDF actions ask before a PDF is made."""
    return unprintable(report, printable())


def _characters(data: Any, out: set[str]) -> set[str]:
    """Every character of every string in ``data`` (without the paths _strings builds)."""
    if isinstance(data, str):
        out.update(data)
    elif isinstance(data, dict):
        for value in data.values():
            _characters(value, out)
    elif isinstance(data, list):
        for value in data:
            _characters(value, out)
    return out


def unprintable(report: Report, covered: Container[int]) -> list[Finding]:
    """One T01 finding per text holding characters that none of the PDF fonts has."""
    data = report_to_data(report)
    # Each distinct character is asked once; a report without any such character (the usual
    # case) is done here, before the texts are walked with their paths.
    bad = {ch for ch in _characters(data, set()) if not ch.isspace() and ord(ch) not in covered}
    if not bad:
        return []
    out = []
    skip = {"format", "template", "project_type", "evaluation_type", "execution_base", "op", "band", "unit"}
    for path, text in _strings(data):
        if path.rsplit(".", 1)[-1] in skip:
            continue
        missing = [ch for ch in dict.fromkeys(text) if ch in bad]
        if missing:
            shown = "、".join(missing[:5])
            snippet = text if len(text) <= 20 else text[:20] + "…"
            out.append(
                Finding(
                    "T01",
                    parse_path(path),
                    f"“{snippet}”中的“{shown}”在 PDF 字体中没有字形，打印时会缺字，请改用常用字或安装含该字的字体",
                )
            )
    return out
