"""The limits of a report, in one place.

Every way in applies them (typing and paste through core/document.py, report JSON through
core/store/jsonio.py, the document file through core/store/storage_format.py) and every write
checks them again (:func:`first_excess`), so nothing is saved that cannot be read back. They are
far above any real report and far below what would make the program run for minutes or run out
of memory (issue 23). The messages say what is too long or too many in a finance officer's words;
the caller names the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from decimal import Decimal
from typing import Any

from core.model.model import (
    AMOUNT,
    FIGURE,
    LINE,
    MONTH,
    NUMBER,
    TEXT,
    NodePath,
    Report,
    resolve,
    walk_indicators,
    walk_sections,
)

#: Characters in a one-line field (a name, a unit, a phone number, a 指标值 kept as text). The
#: longest 部门 name in the published reports has under 40; 500 is a pasted address, not a page.
LINE_CHARS = 500
#: Characters in a multi-line text (a section of the 报告正文, 指标解释, 偏差原因, 年度总体目标). A long
#: chapter has 20,000; 100,000 is a whole report pasted into one box.
TEXT_CHARS = 100_000
#: Characters of a 指标值 or 实际完成值 kept as text (a qualitative leaf's sentence).
FIGURE_CHARS = 2_000
#: The characters allowed for each kind of text field (core/model/model.py field kinds).
TEXT_LIMITS = {LINE: LINE_CHARS, MONTH: LINE_CHARS, FIGURE: FIGURE_CHARS, TEXT: TEXT_CHARS}
#: Characters of a figure written out in plain notation: ``1e-400`` read from JSON would be written
#: back as 400 digits, which no reader accepts.
FIGURE_DIGITS = 60
#: The largest amount, weight or score, in 元 (a thousand 万亿): larger is a typo, not a figure.
AMOUNT_LIMIT = Decimal("1e15")
#: Levels of indicators (一级 … ) or of sections of the 报告正文.
DEPTH = 12
#: Indicator nodes, all levels together. The largest published grid has about 60; the benchmark
#: measures grids of 5,000 leaves (with their parents), which must stay openable.
INDICATORS = 10_000
#: Sections of the 报告正文, all levels together. The 10号文 outline has 16.
SECTIONS = 2_000
#: Rows of one table: 评价小组, 资金来源, 支出明细 or 资金管理情况. The longest published 支出明细 has about 300.
ROWS = 10_000
#: How deep a report JSON may nest (objects in lists in objects…), unknown keys included. A report
#: with indicators 12 levels deep needs about 30; Python's own reader gives up near 1,000.
NESTING = 100
#: The size of a report JSON file, read or written.
FILE_BYTES = 64 * 1024 * 1024
#: Characters of one text once its placeholders are filled: no more than can be typed, so that
#: 10,000 ``{项目名称}`` of 500 characters cannot make an export grow without bound (longer is cut,
#: with a warning; check N03 says so before). A text this long takes the PDF about 4 seconds.
FILLED_CHARS = TEXT_CHARS
#: Characters of a name printed in a narrow table cell of the PDF (the 一级 column is 18 mm wide: a
#: name of about 160 characters would make a row taller than a page). Longer names are cut there,
#: and check P02 says so.
PRINTED_NAME_CHARS = 100

#: The lists of a report whose length is limited: JSON key → (limit, what the user calls an entry).
COUNTS = {
    "indicators": (INDICATORS, "指标"),
    "narrative": (SECTIONS, "章节"),
    "team": (ROWS, "评价人员"),
    "sources": (ROWS, "资金来源"),
    "expenditures": (ROWS, "支出明细"),
    "management": (ROWS, "资金管理情况"),
    "level1": (ROWS, "表上一级指标"),
}


class LimitError(ValueError):
    """A value beyond the limits. ``str()`` is a short Chinese reason; the caller names the field."""


def check_text(text: str, kind: str) -> None:
    limit = TEXT_LIMITS.get(kind)
    if limit is not None and len(text) > limit:
        raise LimitError(f"内容过长（{len(text):,} 字，最多 {limit:,} 字）")


def check_count(key: str, count: int) -> None:
    """``count`` entries in the list ``key`` (indicators: all levels together)."""
    limit, noun = COUNTS[key]
    if count > limit:
        raise LimitError(f"{noun}过多（{count:,} 个，最多 {limit:,} 个）")


def check_depth(key: str, depth: int) -> None:
    if depth > DEPTH:
        noun = "指标" if key == "indicators" else "章节"
        raise LimitError(f"{noun}层级过深（第 {depth} 级，最多 {DEPTH} 级）")


def check_figure(value: Decimal) -> None:
    """The limits a figure of the model must keep (numbers.parse_decimal refuses the same)."""
    if not value.is_finite() or abs(value) >= AMOUNT_LIMIT:
        raise LimitError("数值过大")
    if len(f"{value:f}") > FIGURE_DIGITS:
        raise LimitError("位数过多")


def _fields(obj: Any, path: NodePath) -> Iterator[tuple[NodePath, str, Any]]:
    for f in fields(obj):
        kind = f.metadata.get("kind")
        if kind in TEXT_LIMITS or kind in (AMOUNT, NUMBER):
            yield path + (f.name,), kind, getattr(obj, f.name)


def _values(report: Report) -> Iterator[tuple[NodePath, str, Any]]:
    yield from _fields(report.project, ("project",))
    for i, member in enumerate(report.team):
        yield from _fields(member, ("team", i))
    funds = report.funds
    yield from _fields(funds, ("funds",))
    for key in ("sources", "expenditures", "management"):
        for i, row in enumerate(getattr(funds, key)):
            yield from _fields(row, ("funds", key, i))
    if funds.balance is not None:
        yield from _fields(funds.balance, ("funds", "balance"))
    for path, node, _depth in walk_indicators(report.indicators):
        yield from _fields(node, path)
        if node.target is not None:
            yield from _fields(node.target, path + ("target",))
    for path, section, _depth in walk_sections(report.narrative):
        yield from _fields(section, path)
    printed = report.printed
    if printed is not None:
        yield from _fields(printed, ("printed",))
        for i, row in enumerate(printed.level1):
            yield from _fields(row, ("printed", "level1", i))
        if printed.funds is not None:
            yield from _fields(printed.funds, ("printed", "funds"))


def first_excess(report: Report) -> tuple[NodePath, str] | None:
    """The first place where ``report`` goes beyond a limit, with the reason; None when it keeps
    them all. Asked before every write."""
    where: NodePath = ()
    try:
        lists = {
            "team": ("team",),
            "sources": ("funds", "sources"),
            "expenditures": ("funds", "expenditures"),
            "management": ("funds", "management"),
        }
        for key, where in lists.items():
            check_count(key, len(resolve(report, where)))
        for key, walk in (("indicators", walk_indicators), ("narrative", walk_sections)):
            nodes = list(walk(getattr(report, key)))
            where = (key,)
            check_count(key, len(nodes))
            for where, _node, depth in nodes:  # noqa: B007 - where names the node in the message
                check_depth(key, depth)
        for where, kind, value in _values(report):  # noqa: B007
            if isinstance(value, str):
                check_text(value, kind)
            elif isinstance(value, Decimal):
                check_figure(value)
    except LimitError as exc:
        return where, str(exc)
    return None
