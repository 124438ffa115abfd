"""一键生成初稿 (core/rules/draft.py, Document.apply_draft, the 生成初稿 button): the draft restates
the tables through placeholders, lists every deduction, fills only empty sections, undoes in one step."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from core.document import Document
from core.model.model import FundSource, resolve, walk_indicators, walk_sections
from core.model.numbers import fmt2, fmt_rate
from core.model.templates import CONCLUSION_TEXT, new_report
from core.rules.draft import draft, missed_leaves
from core.rules.placeholders import fill, unknown_names
from core.rules.totals import compute_totals
from tests.conftest import load_seed

SEEDS = ("000", "001", "002")
EXPECTED = {"000": ("70.62%", "96.00", "优"), "001": ("60.44%", "99.00", "优"), "002": ("100.00%", "98.74", "优")}


def _all_text(parts) -> str:
    return "\n".join(p.text for p in parts)


@pytest.mark.parametrize("name", SEEDS)
def test_draft_restates_the_figures_through_placeholders(name):
    report = load_seed(name)
    totals = compute_totals(report)
    text = _all_text(draft(report, totals))
    for placeholder in ("{全年预算数}", "{实际到位数}", "{实际支出数}", "{执行率}", "{总得分}", "{评价等级}"):
        assert placeholder in text
    assert unknown_names(text) == []  # check N01 would flag nothing
    filled = fill(text, report, totals)
    rate, score, grade = EXPECTED[name]
    f = totals.funds.total
    assert rate == fmt_rate(f.execution_rate)
    assert f"预算执行率{rate}" in filled
    assert f"综合得分为{score}分，评价等级为“{grade}”" in filled
    assert f"全年预算数{fmt2(f.adjusted)}{report.funds.unit}" in filled
    assert f"实际支出{fmt2(f.spent)}{report.funds.unit}" in filled
    assert f"实际到位资金{fmt2(f.received)}{report.funds.unit}" in filled
    for one in totals.level1:  # per 一级 分值/得分, written as numbers
        assert f"{one.name}{fmt2(one.score)}分（分值{fmt2(one.weight)}分）" in filled


@pytest.mark.parametrize("name", SEEDS)
def test_draft_names_every_deduction_and_every_missed_target(name):
    report = load_seed(name)
    totals = compute_totals(report)
    text = _all_text(draft(report, totals))
    deductions = 0
    for _p, node, _d in walk_indicators(report.indicators):
        figs = totals.nodes[node.uid]
        if node.is_leaf and node.weight is not None and figs.score < figs.weight:
            deductions += 1
            lost = fmt2(figs.weight - figs.score)
            assert f"“{node.name}”分值{fmt2(figs.weight)}分，得分{fmt2(figs.score)}分，扣{lost}分" in text
            reason = node.deviation.strip().rstrip("。") or "原因待补充"
            assert reason.splitlines()[0] in text
    assert deductions > 0
    problems = next(p for p in draft(report, totals) if "存在的问题" in p.title)
    for leaf in missed_leaves(report, totals):
        assert f"“{leaf.name}”未达到年度目标" in problems.text
    if name == "002":
        assert "完成率97.39%" in problems.text
    if totals.funds.total.execution_rate < 100:
        assert "预算执行率未达到100%" in problems.text


def test_a_new_report_gets_its_sections_filled_and_one_undo_removes_them():
    report = new_report("framework")
    doc = Document(report)
    before = copy.deepcopy([(p, s.title, s.text) for p, s, _d in walk_sections(report.narrative)])
    parts = draft(doc.report, doc.totals)
    assert not any(p.has_text for p in parts)  # the default conclusion sentence is not the user's
    written = doc.apply_draft(parts)
    assert written == len(parts)
    titles = [s.title for _p, s, _d in walk_sections(doc.report.narrative)]
    assert "（三）资金投入和使用情况" in titles  # the default outline has none: created under 一、基本情况
    assert titles.index("（三）资金投入和使用情况") == titles.index("（二）项目绩效目标") + 1
    conclusion = resolve(doc.report, ("narrative", 2))
    assert conclusion.text != CONCLUSION_TEXT and "{总得分}" in conclusion.text
    assert "决策指标分值20.00分" in resolve(doc.report, ("narrative", 3, "children", 0)).text
    assert doc.undo_description() == "生成初稿"
    doc.undo()
    after = [(p, s.title, s.text) for p, s, _d in walk_sections(doc.report.narrative)]
    assert after == before
    assert not doc.can_undo()
    doc.redo()
    assert "（三）资金投入和使用情况" in [s.title for _p, s, _d in walk_sections(doc.report.narrative)]


@pytest.mark.parametrize("name", SEEDS)
def test_filling_never_touches_a_section_with_text(name):
    doc = Document(load_seed(name))
    before = {p: s.text for p, s, _d in walk_sections(doc.report.narrative) if s.text.strip()}
    parts = draft(doc.report, doc.totals)
    assert any(p.has_text for p in parts)
    doc.apply_draft(parts)
    for path, text in before.items():
        assert resolve(doc.report, path).text == text
    for part in parts:
        section = resolve(doc.report, part.path)
        assert section.text == (text if (text := before.get(part.path)) is not None else part.text)


def test_overwrite_replaces_the_targets_only_when_asked():
    doc = Document(load_seed("002"))
    parts = draft(doc.report, doc.totals)
    untouched = resolve(doc.report, ("narrative", 5)).text  # 六、有关建议: no target
    doc.apply_draft(parts, overwrite=True)
    for part in parts:
        assert resolve(doc.report, part.path).text == part.text
    assert resolve(doc.report, ("narrative", 5)).text == untouched
    doc.undo()
    assert resolve(doc.report, ("narrative", 2)).text.startswith("本项目严格按照")


def test_draft_is_deterministic_and_pure():
    report = load_seed("000")
    snapshot = copy.deepcopy(report)
    first = [(p.path, p.title, p.text) for p in draft(report)]
    assert first == [(p.path, p.title, p.text) for p in draft(report)]
    assert report == snapshot


def test_an_unscored_report_gets_a_draft_without_scores():
    report = new_report("transfer")
    report.funds.sources = [FundSource(source="中央财政", adjusted=Decimal("100"), spent=Decimal("90"))]
    text = _all_text(draft(report))
    assert "{总得分}" not in text and "得分" not in text
    assert "{执行率}" in text


def test_the_button_fills_the_empty_sections_after_asking(window, qtbot, monkeypatch):
    from gui import narrative_tab

    tab = window.narrative_tab
    doc = tab.doc
    asked = []
    monkeypatch.setattr(narrative_tab, "ask_overwrite", lambda parent, titles: asked.append(titles) or "empty")
    before = {p: s.text for p, s, _d in walk_sections(doc.report.narrative) if s.text.strip()}
    qtbot.mouseClick(tab.draft_button, narrative_tab.Qt.MouseButton.LeftButton)
    assert asked and "（二）具体绩效分析" in asked[0]
    titles = [s.title for _p, s, _d in walk_sections(doc.report.narrative)]
    assert "（三）资金投入和使用情况" in titles
    for path, text in before.items():
        assert resolve(doc.report, path).text == text
    assert doc.undo_description() == "生成初稿"
    monkeypatch.setattr(narrative_tab, "ask_overwrite", lambda parent, titles: None)  # 取消
    count = len(doc._undo)
    tab.generate_draft()
    assert len(doc._undo) == count
    window.undo()
    assert "（三）资金投入和使用情况" not in [s.title for _p, s, _d in walk_sections(doc.report.narrative)]
