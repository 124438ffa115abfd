"""A model-based test of “what is saved always opens”: random sequences of what a user does
through the document (type any text into any field, 资金管理情况 included, add, remove and move
rows and indicators, change 比较, the money unit, the template, undo, redo), each followed by the
document file's save and a reopen of what is on disk, compared with what the window would show;
and by the live checks and totals (which keep each leaf's results between edits,
core/rules/leaf_memo.py) compared with a recheck of the whole report from scratch."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from core.document import InputError
from core.model.model import (
    OPS,
    TEMPLATES,
    FundSource,
    Indicator,
    Target,
    field_names,
    management_rows,
    walk_indicators,
)
from core.rules.checks import run_checks
from core.rules.rulesets import RuleSet
from core.rules.totals import compute_totals
from core.store.jsonio import dumps
from core.store.storage import DocumentFile
from core.store.storage_format import read_document_report
from tests.conftest import load_seed

# What users really type and paste, including what must be refused or kept as typed.
TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "600",
            "600.00",
            "-5",
            "1,234.50",
            "１２３４．５",
            "600万元",
            "600元",
            "95%",
            "≥95%",
            "显著提升",
            "无",
            "/",
            "完成",
            "=100",
            "(5.00)",
            "999999999999",
            "1e-400",
            "1" * 73,
            "2023年",
            "2024-05",
            "2024年5月",
            "  两端空格  ",
            "a\tb",
            "第一段\n第二段",
            "=SUM(A1)",
            "\x00\x07控制",
            "堃喆䶮",
        ]
    ),
    st.text(max_size=30),
)
LEAF_FIELDS = ("name", "weight", "score", "metric", "actual", "deviation", "override_reason", "explanation", "band")
PROJECT_FIELDS = tuple(field_names(type(load_seed("000").project)))
SOURCE_FIELDS = ("source", "initial", "adjusted", "received", "spent")


class DocumentUse(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="jxzp-model-"))
        self.file: DocumentFile | None = None

    @initialize(seed=st.sampled_from(["000", "001", "002"]))
    def open_a_report(self, seed):
        self.file = DocumentFile.create(self.folder / "报告.jxzp", load_seed(seed))

    @property
    def doc(self):
        return self.file.document

    def _leaves(self):
        return [p for p, node, _d in walk_indicators(self.doc.report.indicators) if not node.children]

    def _type(self, path, text):
        try:
            self.doc.set_text(path, text)
        except InputError:
            pass  # refused, with a message: the document is unchanged

    @rule(name=st.sampled_from(PROJECT_FIELDS), text=TEXTS)
    def type_project_field(self, name, text):
        self._type(("project", name), text)

    @precondition(lambda self: self.doc.report.funds.sources)
    @rule(data=st.data(), name=st.sampled_from(SOURCE_FIELDS), text=TEXTS)
    def type_fund_cell(self, data, name, text):
        row = data.draw(st.integers(0, len(self.doc.report.funds.sources) - 1))
        self._type(("funds", "sources", row, name), text)

    @rule(data=st.data(), name=st.sampled_from(("explanation", "problems")), text=TEXTS)
    def type_management_cell(self, data, name, text):
        item, index = data.draw(st.sampled_from(management_rows(self.doc.report.funds)))
        try:
            self.doc.set_management_text(item, index, name, text)
        except InputError:
            pass

    @rule()
    def add_fund_row(self):
        self.doc.insert(
            ("funds", "sources"), len(self.doc.report.funds.sources), FundSource(source="其他资金"), "添加资金来源"
        )

    @precondition(lambda self: self.doc.report.funds.sources)
    @rule(data=st.data())
    def remove_fund_row(self, data):
        self.doc.remove(
            ("funds", "sources"), data.draw(st.integers(0, len(self.doc.report.funds.sources) - 1)), "删除资金来源"
        )

    @precondition(lambda self: self._leaves())
    @rule(data=st.data(), name=st.sampled_from(LEAF_FIELDS), text=TEXTS)
    def type_leaf_cell(self, data, name, text):
        self._type(data.draw(st.sampled_from(self._leaves())) + (name,), text)

    @precondition(lambda self: self._leaves())
    @rule(data=st.data(), text=TEXTS)
    def type_target(self, data, text):
        leaf = data.draw(st.sampled_from(self._leaves()))
        if self.doc.get(leaf).target is None:
            self.doc.set_value(leaf + ("target",), Target(op="qualitative"))
        self._type(leaf + ("target", "value"), text)

    @precondition(lambda self: self._leaves())
    @rule(data=st.data(), op=st.sampled_from(list(OPS)))
    def change_comparison(self, data, op):
        # Leaves whose figures are text (定性) half the time: there the change of 比较 matters.
        texts = [p for p in self._leaves() if isinstance(self.doc.get(p).actual, str)]
        choices = st.sampled_from(self._leaves())
        if texts:
            choices = st.sampled_from(texts) | choices
        self.doc.set_op(data.draw(choices), op)

    @rule(data=st.data())
    def add_indicator(self, data):
        nodes = [p for p, _n, depth in walk_indicators(self.doc.report.indicators) if depth < 3]
        parent = data.draw(st.sampled_from([None, *nodes]))
        where = ("indicators",) if parent is None else parent + ("children",)
        self.doc.insert(where, len(self.doc.get(where)), Indicator(name="新指标"), "添加指标")

    @precondition(lambda self: self.doc.report.indicators)
    @rule(data=st.data())
    def remove_or_move_indicator(self, data):
        path = data.draw(st.sampled_from([p for p, _n, _d in walk_indicators(self.doc.report.indicators)]))
        siblings = len(self.doc.get(path[:-1]))
        if data.draw(st.booleans()) or siblings < 2:
            self.doc.remove(path[:-1], path[-1], "删除指标")
        else:
            self.doc.move(path[:-1], path[-1], data.draw(st.integers(0, siblings - 1)), "移动指标")

    @precondition(lambda self: self._leaves())
    @rule(data=st.data(), text=TEXTS, up=st.booleans())
    def edit_then_regroup(self, data, text, up):
        # One action that types into a leaf and then moves rows (升级/降级): the leaf's new
        # figures must be rechecked although its path no longer names it.
        leaf = data.draw(st.sampled_from(self._leaves()))
        moved = data.draw(st.sampled_from([p for p, _n, _d in walk_indicators(self.doc.report.indicators)]))
        with self.doc.batch("编辑并调整层级"):
            self._type(leaf + ("score",), text)
            try:
                self.doc.outdent(moved) if up else self.doc.indent(moved)
            except InputError:
                pass  # deeper than allowed: refused

    @precondition(lambda self: self.doc.report.indicators)
    @rule(data=st.data(), rules=st.sampled_from(["national", RuleSet(not_applicable="rescale")]))
    def mark_not_applicable(self, data, rules):
        # 不适用 on any row (a parent's covers its leaves), under a rule set that rescales or not.
        path = data.draw(st.sampled_from([p for p, _n, _d in walk_indicators(self.doc.report.indicators)]))
        self.doc.set_rules(rules)
        self.doc.set_applicable(path, not self.doc.get(path).applicable)

    @rule(unit=st.sampled_from(["万元", "元"]), convert=st.booleans())
    def change_unit(self, unit, convert):
        try:
            self.doc.set_funds_unit(unit, convert)
        except InputError:
            pass  # an amount too large to convert is refused, not saved

    @rule(template=st.sampled_from(list(TEMPLATES)))
    def change_template(self, template):
        self._type(("template",), template)

    @rule()
    def undo(self):
        if self.doc.can_undo():
            self.doc.undo()

    @rule()
    def redo(self):
        if self.doc.can_redo():
            self.doc.redo()

    @invariant()
    def what_is_on_disk_opens_and_is_what_the_window_shows(self):
        if self.file is None:
            return
        self.file.flush()
        copy = self.folder / "副本.jxzp"
        copy.unlink(missing_ok=True)
        self.file.save_copy(copy)
        assert dumps(read_document_report(copy)) == dumps(self.doc.report)

    @invariant()
    def the_live_checks_are_those_of_a_recheck_from_scratch(self):
        if self.file is None:
            return
        report = self.doc.report
        fresh = compute_totals(report)
        live = self.doc.totals
        assert live.nodes == fresh.nodes
        assert (live.score, live.capped_score, live.grade, live.weight, live.left_out) == (
            fresh.score,
            fresh.capped_score,
            fresh.grade,
            fresh.weight,
            fresh.left_out,
        )
        assert self.doc.findings == run_checks(report, fresh)

    def teardown(self):
        if self.file is not None:
            self.file.close()
            assert dumps(read_document_report(self.folder / "报告.jxzp")) == dumps(self.doc.report)
        shutil.rmtree(self.folder, ignore_errors=True)


DocumentUse.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_document_use = DocumentUse.TestCase
