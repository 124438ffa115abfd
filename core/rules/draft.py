"""一键生成初稿: the narrative sections that restate the tables, drafted from the report.

:func:`draft` is pure (report → the sections to fill and their text); ``Document.apply_draft``
applies it as one undoable action. The text is Simplified Chinese in the usual wording of a
自评报告 and is deterministic: the same report always gives the same draft.

Figures that have a placeholder (core/rules/placeholders.py: ``{全年预算数}`` ``{执行率}``
``{总得分}`` ``{评价等级}``…) are written as placeholders, so later edits to the tables flow into
the text. The per-一级 分值/得分 and each leaf's deduction have no placeholder: they are written as
numbers, as they stand when the draft is made (a placeholder per 一级 would break whenever the
一级 is renamed, and a leaf's name is often longer than a placeholder may be); generate the draft
again with 覆盖 after changing scores.

Where it goes (by the titles of the default outline, core/model/templates.py ``OUTLINE``):

- 资金使用情况: a section whose title contains 资金使用, 资金投入 or 预算执行; the default outline has
  none, so it is created as the last child of 基本情况 (“（三）资金投入和使用情况”);
- 评价结论: a section whose title contains 综合评价 or 评价结论;
- per 一级: the children of the section whose title contains 指标分析 or 绩效分析, matched by the
  一级's name (决策 → （一）项目决策情况); a 一级 with no matching child gets a new child; when the
  analysis section has no children, every 一级 goes into it;
- 存在的问题: a section whose title contains 存在的问题.

A section is created only when the outline has none that matches; a created one is appended at
the end of its list, so the paths of the existing sections do not move. Among several matches the
first one without subsections wins (seed 000's （二）具体绩效分析 takes every 一级).
A section whose text is empty, or is only the default outline's
conclusion sentence (``CONCLUSION_TEXT``), counts as empty: nothing a user wrote is in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from core.model.model import Indicator, NodePath, Report, Section, resolve, walk_sections
from core.model.numbers import ZERO, fmt2, fmt_rate, round2
from core.model.templates import CONCLUSION_TEXT
from core.rules.placeholders import fillable
from core.rules.scoring import actual_text, needs_deviation, target_text
from core.rules.totals import Totals, compute_totals

FUNDS_KEYS = ("资金使用", "资金投入", "预算执行")
CONCLUSION_KEYS = ("综合评价", "评价结论")
ANALYSIS_KEYS = ("指标分析", "绩效分析")
PROBLEM_KEYS = ("存在的问题",)
FUNDS_TITLE = "资金投入和使用情况"
ANALYSIS_TITLE = "绩效评价指标分析"
PROBLEM_TITLE = "存在的问题及原因分析"
NUMERALS = "一二三四五六七八九十"


@dataclass
class Part:
    """One section of the draft: where it goes, its title, its text."""

    path: NodePath  # of the Section; for a new one, the path it will have once appended
    title: str
    text: str
    new: bool = False  # the outline has no such section: it is created
    has_text: bool = False  # the section already holds text a user wrote


def is_empty(section: Section) -> bool:
    text = section.text.strip()
    return not text or text == CONCLUSION_TEXT


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def _numbered(siblings: list[Section], bare: str, position: int) -> str:
    """``bare`` numbered like its siblings: （三） under （一）（二）, 八、 after 七、."""
    if siblings and siblings[0].title.startswith("（"):
        return f"（{_numeral(position)}）{bare}"
    if siblings and re.match(f"^[{NUMERALS}]+、", siblings[0].title):
        return f"{_numeral(position)}、{bare}"
    return bare


def _find(sections: list[tuple[NodePath, Section]], keys: tuple[str, ...]) -> tuple[NodePath, Section] | None:
    found = [(p, s) for p, s in sections if any(k in s.title for k in keys)]
    leaves = [(p, s) for p, s in found if not s.children]
    return (leaves or found or [None])[0]


def _core_word(name: str) -> str:
    """决策 of 项目决策, 产出 of 产出指标: the word a section title names a 一级 by."""
    word = name.strip()
    for prefix in ("项目",):
        if word.startswith(prefix) and len(word) > len(prefix):
            word = word[len(prefix) :]
    for suffix in ("指标", "情况"):
        if word.endswith(suffix) and len(word) > len(suffix):
            word = word[: -len(suffix)]
    return word


def _sentence(text: str) -> str:
    """A reason as one clause: its lines joined, its trailing punctuation dropped."""
    text = "；".join(line.strip() for line in text.splitlines() if line.strip())
    return text.rstrip("。；;.，, ")


def _leaves(node: Indicator) -> list[Indicator]:
    if node.is_leaf:
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _clauses(totals: Totals, *clauses: tuple[str, str]) -> list[str]:
    """The clauses whose placeholder states a figure (a not-given amount is left unsaid)."""
    return [text for name, text in clauses if fillable(name, totals)]


def funds_text(report: Report, totals: Totals) -> str:
    """The funds in a sentence, clause by clause: an amount that is not given (a form with no
    实际到位数) and what would be derived from it (到位率, 结余) are left out, never stated as 0."""
    budget = _clauses(
        totals,
        ("年初预算数", "年初预算数{年初预算数}{金额单位}"),
        ("全年预算数", "全年预算数{全年预算数}{金额单位}"),
        ("实际到位数", "实际到位资金{实际到位数}{金额单位}"),
        ("到位率", "资金到位率{到位率}"),
    )
    spending = _clauses(
        totals,
        ("实际支出数", "实际支出{实际支出数}{金额单位}"),
        ("执行率", "预算执行率{执行率}"),
        ("结余", "结余{结余}{金额单位}"),
    )
    groups = [g for g in ("，".join(budget), "，".join(spending)) if g]
    if not groups:
        return "{评价年度}年度{项目名称}项目资金表尚未填写金额。"
    text = "{评价年度}年度{项目名称}" + "；".join(groups) + "。"
    rate = totals.funds.total.execution_rate
    if rate is not None and rate < 100:
        text += "资金未能全部按计划支出，预算执行进度有待加快。"
    return text


def conclusion_text(report: Report, totals: Totals) -> str:
    if not report.scored:
        return (
            "{评价年度}年度{项目名称}按绩效目标自评表逐项对照年度指标值与实际完成值进行自评，"
            "不设分值，各项指标完成情况见绩效评价指标分析。"
        )
    parts = [
        "根据项目绩效评价指标体系和评分标准，经评价组考评打分，{评价年度}年度{项目名称}评价指标总分{总分值}分，"
        "综合得分为{总得分}分，评价等级为“{评价等级}”。"
    ]
    if totals.level1:
        figures = "，".join(
            f"{one.name}{fmt2(one.score, '0.00')}分（分值{fmt2(one.weight)}分{_left_out_part(one)}）"
            for one in totals.level1
        )
        parts.append(f"其中，{figures}。")
    parts.append(("项目预算执行率为{执行率}。" if fillable("执行率", totals) else "") + "相关评分表附后。")
    return "".join(parts)


def _left_out_part(one) -> str:
    """“，其中不适用指标10.00分不计分” for a 一级 with leaves left out as 不适用 (DOMAIN §6)."""
    left = round2(one.weight - one.counted_weight)
    return f"，其中不适用指标{fmt2(left)}分不计分" if left else ""


def level1_text(node: Indicator, report: Report, totals: Totals) -> str:
    figures = totals.nodes[node.uid]
    if not report.scored:
        return f"{node.name}：共{len(_leaves(node))}项指标，完成情况详见绩效评价指标表。"
    lost = round2(figures.counted_weight - figures.score)  # a leaf left out as 不适用 loses nothing
    label = node.name if node.name.endswith("指标") else f"{node.name}指标"
    left = round2(figures.weight - figures.counted_weight)
    left_text = f"（其中不适用指标{fmt2(left)}分不计分）" if left else ""
    head = f"{label}分值{fmt2(figures.weight)}分{left_text}，评价得分{fmt2(figures.score)}分"
    deductions = []
    for leaf in _leaves(node):
        leaf_figures = totals.nodes[leaf.uid]
        if leaf.weight is None or not leaf_figures.counted or leaf_figures.score >= leaf_figures.weight:
            continue
        leaf_lost = round2(leaf_figures.weight - leaf_figures.score)
        reason = _sentence(leaf.deviation) or _sentence(leaf.override_reason) or "原因待补充"
        deductions.append(
            f"“{leaf.name}”分值{fmt2(leaf.weight)}分，得分{fmt2(leaf_figures.score)}分，"
            f"扣{fmt2(leaf_lost)}分，原因：{reason}"
        )
    if not deductions:
        return head + ("，未扣分，各项指标均达到年度目标。" if lost <= ZERO else "。")
    return f"{head}，扣{fmt2(lost)}分。其中：" + "；".join(deductions) + "。"


def missed_leaves(report: Report, totals: Totals) -> list[Indicator]:
    """The leaves that missed their targets: 完成率 under 100 %, or a qualitative leaf in the
    部分达成 or 未达成 band (DOMAIN §2, the national test of check I05's “missed”: a rule set that
    asks no reason for a miss, 广西's, still has missed). A leaf left out as 不适用 missed nothing."""
    missed = []
    national = replace(totals.rules, deviation="national")
    for top in report.indicators:
        for leaf in _leaves(top):
            figures = totals.nodes[leaf.uid]
            if figures.counted and needs_deviation(leaf, figures.completion, national) == "missed":
                missed.append(leaf)
    return missed


def problems_text(report: Report, totals: Totals) -> str:
    items = []
    rate = totals.funds.total.execution_rate
    if rate is not None and rate < Decimal(100):
        figures = _clauses(
            totals,
            ("全年预算数", "全年预算数{全年预算数}{金额单位}"),
            ("实际支出数", "实际支出{实际支出数}{金额单位}"),
        )
        figures.append("预算执行率{执行率}，资金支出进度滞后。")
        items.append("预算执行率未达到100%：" + "，".join(figures))
    for leaf in missed_leaves(report, totals):
        completion = totals.nodes[leaf.uid].completion
        figures = []
        if target_text(leaf):
            figures.append(f"年度指标值{target_text(leaf)}")
        if actual_text(leaf):
            figures.append(f"实际完成值{actual_text(leaf)}")
        if completion is not None:
            figures.append(f"完成率{fmt_rate(completion)}")
        reason = _sentence(leaf.deviation) or "原因待补充"
        detail = "，".join(figures) + "，" if figures else ""
        items.append(f"“{leaf.name}”未达到年度目标：{detail}偏差原因：{reason}。")
    if not items:
        if not fillable("执行率", totals):  # no 执行率 to judge the spending by: say nothing of it
            return "本年度各项绩效指标均已达到年度目标，暂未发现需要说明的问题。"
        return "本年度各项绩效指标均已达到年度目标，预算执行情况良好，暂未发现需要说明的问题。"
    return "存在的问题及原因分析：\n" + "\n".join(f"{i}.{item}" for i, item in enumerate(items, 1))


class _Plan:
    """The parts in the making: texts by path, sections created at the ends of their lists."""

    def __init__(self, report: Report):
        self.report = report
        self.parts: dict[NodePath, Part] = {}
        self.added: dict[NodePath, int] = {}  # list path → sections created in it so far

    def section(self, path: NodePath) -> Section:
        return resolve(self.report, path)

    def put(self, path: NodePath, text: str) -> None:
        if path in self.parts:
            self.parts[path].text += "\n" + text
            return
        section = self.section(path)
        self.parts[path] = Part(path, section.title, text, has_text=not is_empty(section))

    def create(self, list_path: NodePath, bare: str, text: str) -> NodePath:
        siblings = self.section(list_path)
        count = self.added.get(list_path, 0)
        self.added[list_path] = count + 1
        index = len(siblings) + count
        path = list_path + (index,)
        self.parts[path] = Part(path, _numbered(siblings, bare, index + 1), text, new=True)
        return path


def draft(report: Report, totals: Totals | None = None) -> list[Part]:
    """The draft of ``report``: every target section with its text, in outline order, the new
    ones last. Nothing is changed; ``Document.apply_draft`` fills them."""
    totals = totals if totals is not None else compute_totals(report)
    sections = [(p, s) for p, s, _d in walk_sections(report.narrative)]
    plan = _Plan(report)

    found = _find(sections, FUNDS_KEYS)
    if found is not None:
        plan.put(found[0], funds_text(report, totals))
    else:
        basics = _find([(p, s) for p, s in sections if len(p) == 2], ("基本情况",))
        where = basics[0] + ("children",) if basics is not None else ("narrative",)
        plan.create(where, FUNDS_TITLE, funds_text(report, totals))

    found = _find(sections, CONCLUSION_KEYS)
    if found is not None:
        plan.put(found[0], conclusion_text(report, totals))
    else:
        plan.create(("narrative",), "综合评价情况及评价结论", conclusion_text(report, totals))

    analysis = _find(sections, ANALYSIS_KEYS)
    texts = [(node, level1_text(node, report, totals)) for node in report.indicators]
    if analysis is None:
        if texts:
            plan.create(("narrative",), ANALYSIS_TITLE, "\n".join(t for _n, t in texts))
    elif not analysis[1].children:
        for _node, text in texts:
            plan.put(analysis[0], text)
    else:
        children = [(analysis[0] + ("children", i), c) for i, c in enumerate(analysis[1].children)]
        for node, text in texts:
            word = _core_word(node.name)
            match = next((p for p, c in children if word and word in c.title), None)
            if match is not None:
                plan.put(match, text)
            else:
                plan.create(analysis[0] + ("children",), f"{node.name}情况", text)

    found = _find(sections, PROBLEM_KEYS)
    if found is not None:
        plan.put(found[0], problems_text(report, totals))
    else:
        plan.create(("narrative",), PROBLEM_TITLE, problems_text(report, totals))

    existing = sorted((p for p in plan.parts.values() if not p.new), key=lambda p: _order(report, p.path))
    return existing + [p for p in plan.parts.values() if p.new]


def _order(report: Report, path: NodePath) -> int:
    for i, (p, _s, _d) in enumerate(walk_sections(report.narrative)):
        if p == path:
            return i
    return 0
