"""Placeholders in narrative text (``{执行率}``), filled from the model so figures are never retyped.

A fund placeholder whose figure is not given (a form without 实际到位数 has no {实际到位数}, no
{到位率} and no {结余}; INTERCHANGE "Not given") is not filled with an invented 0.00 nor with 无,
which would read "实际到位资金无万元": it stays as typed, like an unknown name, and check N01 names
it, so the writer either fills the amount in or takes the sentence out. The 一键生成初稿 text
(core/rules/draft.py) leaves such clauses out in the first place. A rate whose base is 0 is
given but undefined and reads 无, as everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.model.limits import FILLED_CHARS
from core.model.model import Report
from core.model.numbers import fmt2, fmt_rate
from core.rules.totals import Totals

PATTERN = re.compile(r"\{([^{}\s]{1,20})\}")


#: The fund placeholders, by the column of the 合计 row they state.
FUND_PLACEHOLDERS = {
    "年初预算数": "initial",
    "全年预算数": "adjusted",
    "实际到位数": "received",
    "实际支出数": "spent",
    "结余": "remaining",
    "执行率": "execution_rate",
    "到位率": "arrival_rate",
}


def fillable(name: str, totals: Totals) -> bool:
    """Whether ``{name}`` states a figure: not a fund figure whose amounts are not given."""
    column = FUND_PLACEHOLDERS.get(name)
    return column is None or totals.funds.given(column)


def unfilled_names(text: str, totals: Totals) -> list[str]:
    """The known names in ``text`` that stay as typed because their amounts are not given."""
    return [m.group(1) for m in PATTERN.finditer(text) if m.group(1) in NAMES and not fillable(m.group(1), totals)]


def _values(report: Report, totals: Totals) -> dict[str, Callable[[], str]]:
    values = _all_values(report, totals)
    return {name: get for name, get in values.items() if fillable(name, totals)}


def _all_values(report: Report, totals: Totals) -> dict[str, Callable[[], str]]:
    f = totals.funds.total
    return {
        "年初预算数": lambda: fmt2(f.initial),
        "全年预算数": lambda: fmt2(f.adjusted),
        "实际到位数": lambda: fmt2(f.received),
        "实际支出数": lambda: fmt2(f.spent),
        "结余": lambda: fmt2(f.remaining),
        "执行率": lambda: fmt_rate(f.execution_rate),
        "到位率": lambda: fmt_rate(f.arrival_rate),
        "总分值": lambda: fmt2(totals.weight),
        "总得分": lambda: fmt2(totals.capped_score, "无"),  # after the rule set's cap, as graded
        "评价等级": lambda: totals.grade or "无",
        "项目名称": lambda: report.project.name,
        "评价年度": lambda: str(report.project.year or ""),
        "部门名称": lambda: report.project.department,
        "项目单位": lambda: report.project.implementing_unit,
        "主管部门": lambda: report.project.supervisor,
        "金额单位": lambda: report.funds.unit,
    }


#: The names a user can insert, in menu order (the window's 插入占位符 menu lists these).
NAMES = (
    "项目名称",
    "评价年度",
    "部门名称",
    "项目单位",
    "主管部门",
    "年初预算数",
    "全年预算数",
    "实际到位数",
    "实际支出数",
    "结余",
    "执行率",
    "到位率",
    "金额单位",
    "总分值",
    "总得分",
    "评价等级",
)


def unknown_names(text: str) -> list[str]:
    return [m.group(1) for m in PATTERN.finditer(text) if m.group(1) not in NAMES]


def filled_length(text: str, report: Report, totals: Totals) -> int:
    """How long ``text`` is once filled, without filling it (for check N03)."""
    if "{" not in text:
        return len(text)
    values = _values(report, totals)
    cache: dict[str, int] = {}
    length = len(text)
    for match in PATTERN.finditer(text):
        name = match.group(1)
        if name in values:
            if name not in cache:
                cache[name] = len(values[name]())
            length += cache[name] - len(match.group(0))
    return length


#: What ends a filled text cut at FILLED_CHARS, and what the exports and check N03 say about it.
CUT_MARK = "……（占位符展开后内容过长，以下从略）"
CUT_WARNING = f"填入占位符后超过 {FILLED_CHARS:,} 字，导出时只保留前 {FILLED_CHARS:,} 字"


def fill(text: str, report: Report, totals: Totals, cut: list[str] | None = None) -> str:
    """The text with every known placeholder replaced; unknown ones stay as typed.

    The result is at most FILLED_CHARS long: 10,000 ``{项目名称}`` of 500 characters each are cut
    there (and a sentence saying so is added to ``cut``), so an export stays bounded in time and
    memory whatever the text holds."""
    if "{" not in text:
        return text
    values = _values(report, totals)
    cache: dict[str, str] = {}
    pieces: list[str] = []
    size = end = 0
    for match in PATTERN.finditer(text):
        name = match.group(1)
        if name in values:
            if name not in cache:
                cache[name] = values[name]()
            value = cache[name]
        else:
            value = match.group(0)
        for piece in (text[end : match.start()], value):
            if size + len(piece) > FILLED_CHARS:
                pieces.append(piece[: FILLED_CHARS - size] + CUT_MARK)
                if cut is not None:
                    cut.append(
                        f"“{text[:20]}…”填入占位符后超过 {FILLED_CHARS:,} 字，导出时只保留前 {FILLED_CHARS:,} 字"
                    )
                return "".join(pieces)
            pieces.append(piece)
            size += len(piece)
        end = match.end()
    rest = text[end:]
    if size + len(rest) > FILLED_CHARS:
        if cut is not None:
            cut.append(f"“{text[:20]}…”{CUT_WARNING}")
        rest = rest[: FILLED_CHARS - size] + CUT_MARK
    pieces.append(rest)
    return "".join(pieces)
