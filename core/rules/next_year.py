"""Next year's report from this year's (issue 21; ``main.py next``, 文件 → 以此为基础新建下一年度).

A recurring project is evaluated every year with the same indicator tree and mostly the same text;
what changes is what happened. So the new report keeps what was planned and clears what happened:

- kept: the template, the project header (the 评价年度 + 1, and a “2023年” in the 项目名称 becomes
  “2024年”), the team, the 年度总体目标（预期）, the funds' unit, base, 批复金额 and each source's name,
  年初预算数 and 全年预算数, the indicator tree with its names, 指标解释, 分值, 指标内容 and 年度指标值,
  the narrative's titles and texts, unknown keys;
- cleared: the 年度总体目标（实际完成情况）, the dates (项目起止时间, 绩效自评日期, 报告日期), each
  source's 实际到位数 and 实际支出数, the 支出明细, every leaf's 得分, 实际完成值, 完成档次, 偏差原因 and
  调整得分理由, and the printed figures of 复核 (``printed``: last year's paper);
- 结转结余: last year's 年末结转结余 (as typed, else as the formula gives it) becomes the 上年结转结余;
  本年收入, 本年支出 and 年末结转结余 are cleared;
- last year's result is kept for reference in ``extra["previous"]`` (written to JSON and the
  document file as the top-level key ``previous``): year, 总得分, 评价等级, 执行率.

Narrative figures (the fragile part, so deliberately narrow): a number in a text that is written
exactly as a placeholder would print one of last year's figures — an amount total with two
decimals (``423.69``: 年初预算数, 全年预算数, 实际到位数, 实际支出数, 结余), a rate with two decimals and
its sign (``70.62%``: 执行率, 到位率) or the 总得分 (``96.00``) — and that stands alone (not part of a
longer number) becomes that placeholder (``{实际支出数}``), so next year's figures flow in. A figure
that could be more than one of them (全年预算数 = 实际到位数 = 600.00) and any zero stay as typed, as
does every other number (years, counts, 600万元 without decimals): the user reads the text anyway.
"""

from __future__ import annotations

import copy
import re

from core.model.model import LAST_YEAR, Report, walk_indicators, walk_sections
from core.model.numbers import ZERO, fmt2, fmt_rate
from core.rules.totals import Totals, compute_totals

PREVIOUS_KEY = "previous"
DROPPED_KEYS = ("printed",)  # last year's printed figures (复核) say nothing about next year
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:\.\d+)?[%％]?(?![\d])")


def figure_placeholders(report: Report, totals: Totals) -> dict[str, str]:
    """Last year's figures as the placeholders print them → the placeholder, without zeros and
    without figures that would be ambiguous."""
    f = totals.funds.total
    candidates = [
        ("年初预算数", f.initial, fmt2),
        ("全年预算数", f.adjusted, fmt2),
        ("实际到位数", f.received, fmt2),
        ("实际支出数", f.spent, fmt2),
        ("结余", f.remaining, fmt2),
        ("执行率", f.execution_rate, fmt_rate),
        ("到位率", f.arrival_rate, fmt_rate),
        ("总得分", totals.score, fmt2),
    ]
    seen: dict[str, list[str]] = {}
    for name, value, fmt in candidates:
        if value is not None and value != ZERO:
            seen.setdefault(fmt(value), []).append(name)
    return {text: "{" + names[0] + "}" for text, names in seen.items() if len(names) == 1}


def with_placeholders(text: str, figures: dict[str, str]) -> str:
    if not text or not figures:
        return text

    def one(match: re.Match) -> str:
        found = match.group(0).replace("％", "%")
        return figures.get(found, match.group(0))

    return _NUMBER.sub(one, text)


def next_year(report: Report) -> Report:
    """A new report for the next year (see the module's docstring); ``report`` is left as it is."""
    totals = compute_totals(report)
    new = copy.deepcopy(report)
    p = new.project
    year = report.project.year
    if year is not None and year < LAST_YEAR:
        p.year = year + 1
        p.name = p.name.replace(f"{year}年", f"{year + 1}年")
    p.goal_actual = ""
    p.period_start = p.period_end = p.evaluation_date = p.report_date = ""

    funds = new.funds
    for src in funds.sources:
        src.received = src.spent = None
    funds.expenditures = []
    funds.management = []  # 资金管理情况 says how this year's money was handled
    if funds.balance is not None:
        b = funds.balance
        closing = b.closing if b.closing is not None else totals.funds.balance_closing
        b.opening, b.income, b.spent, b.closing = closing, None, None, None

    for _path, node, _depth in walk_indicators(new.indicators):
        if node.is_leaf:
            node.score = node.actual = None
            node.band = node.deviation = node.override_reason = ""

    figures = figure_placeholders(report, totals)
    for _path, section, _depth in walk_sections(new.narrative):
        section.text = with_placeholders(section.text, figures)

    for key in DROPPED_KEYS:
        new.extra.pop(key, None)
    rate = totals.funds.total.execution_rate
    new.extra[PREVIOUS_KEY] = {
        "year": year,
        "score": None if totals.score is None else fmt2(totals.score),
        "grade": totals.grade,
        "execution_rate": None if rate is None else fmt2(rate),
    }
    return new
