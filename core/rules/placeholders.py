"""Placeholders in narrative text (``{执行率}``), filled from the model so figures are never retyped."""

from __future__ import annotations

import re
from collections.abc import Callable

from core.model.model import Report
from core.model.numbers import fmt2, fmt_rate
from core.rules.totals import Totals

PATTERN = re.compile(r"\{([^{}\s]{1,20})\}")


def _values(report: Report, totals: Totals) -> dict[str, Callable[[], str]]:
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


def fill(text: str, report: Report, totals: Totals) -> str:
    """The text with every known placeholder replaced; unknown ones stay as typed."""
    if "{" not in text:
        return text
    values = _values(report, totals)

    def one(match: re.Match) -> str:
        getter = values.get(match.group(1))
        return getter() if getter else match.group(0)

    return PATTERN.sub(one, text)
